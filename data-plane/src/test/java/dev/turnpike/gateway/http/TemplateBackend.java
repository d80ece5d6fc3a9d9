package dev.turnpike.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * A real backend on a free port for mapped integrations. {@code /status/N} answers status N with
 * {@code {"error": "boom N", "detail": {"code": "E42"}}} and an {@code x-backend-id} header; {@code
 * /base64} answers the base64 text of "hello" as text/plain; anything else echoes the body it got
 * (as text), its Content-Type, its query, its path and its x-override and Host headers as JSON.
 */
final class TemplateBackend implements AutoCloseable {
  private final HttpServer server;

  private TemplateBackend(HttpServer server) {
    this.server = server;
  }

  static TemplateBackend start(Vertx vertx) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              if (request.path().startsWith("/status/")) {
                                int status = Integer.parseInt(request.path().substring(8));
                                request
                                    .response()
                                    .setStatusCode(status)
                                    .putHeader("content-type", "application/json")
                                    .putHeader("x-backend-id", "b-" + status)
                                    .end(
                                        new JsonObject()
                                            .put("error", "boom " + status)
                                            .put("detail", new JsonObject().put("code", "E42"))
                                            .encode());
                                return;
                              }
                              if (request.path().equals("/base64")) {
                                request
                                    .response()
                                    .putHeader("content-type", "text/plain")
                                    .end("aGVsbG8=");
                                return;
                              }
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .putHeader("x-backend", "echo")
                                  .end(
                                      new JsonObject()
                                          .put("body", body.toString())
                                          .put("bodyBytes", body.length())
                                          .put("contentType", request.getHeader("content-type"))
                                          .put("query", request.query())
                                          .put("path", request.path())
                                          .put("xOverride", request.getHeader("x-override"))
                                          .put("host", request.getHeader("host"))
                                          .encode());
                            }))
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return new TemplateBackend(server);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  static Buffer bytes(int... values) {
    Buffer buffer = Buffer.buffer();
    for (int value : values) {
      buffer.appendByte((byte) value);
    }
    return buffer;
  }

  @Override
  public void close() {
    GatewayRig.await(server.close());
  }
}
