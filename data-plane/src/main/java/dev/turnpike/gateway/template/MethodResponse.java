package dev.turnpike.gateway.template;

import dev.turnpike.gateway.integration.IntegrationResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** The response a client gets from a non-proxy integration, once mapped. */
public record MethodResponse(int status, MultiMap headers, Buffer body) {
  /** Sends it; the gateway frames the body itself. */
  public Future<IntegrationResult> send(HttpServerResponse out) {
    out.setStatusCode(status);
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase("content-length")
              && !name.equalsIgnoreCase("transfer-encoding")) {
            out.headers().add(name, value);
          }
        });
    IntegrationResult result = new IntegrationResult(status, body.length());
    return out.end(body).map(result);
  }
}
