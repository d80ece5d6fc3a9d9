package dev.turnpike.gateway.template;

import dev.turnpike.gateway.integration.BodyTap;
import dev.turnpike.gateway.integration.IntegrationResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** The response a client gets from a non-proxy integration, once mapped. */
public record MethodResponse(int status, MultiMap headers, Buffer body) {
  /** Sends it; the gateway frames the body itself. */
  public Future<IntegrationResult> send(HttpServerResponse out) {
    return send(out, BodyTap.NONE);
  }

  /** Sends it, showing the body to {@code tap} once it was sent. */
  public Future<IntegrationResult> send(HttpServerResponse out, BodyTap tap) {
    out.setStatusCode(status);
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase("content-length")
              && !name.equalsIgnoreCase("transfer-encoding")) {
            out.headers().add(name, value);
          }
        });
    IntegrationResult result = new IntegrationResult(status, body.length());
    // Shown before it is sent: a client's next request must find what its last one stored.
    tap.write(body);
    tap.end();
    return out.end(body).map(result);
  }
}
