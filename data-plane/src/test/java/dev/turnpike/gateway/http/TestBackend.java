package dev.turnpike.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP backend on a free port. {@code /slow} never answers; {@code /bytes/N} answers N
 * bytes; anything else echoes what it received as JSON (method, path, query, headers, body size).
 */
final class TestBackend implements AutoCloseable {
  private final HttpServer server;

  private TestBackend(HttpServer server) {
    this.server = server;
  }

  static TestBackend start(Vertx vertx) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (request.path().startsWith("/slow")) {
                    return;
                  }
                  if (request.path().startsWith("/bytes/")) {
                    int size = Integer.parseInt(request.path().substring(7));
                    request
                        .response()
                        .putHeader("content-type", "application/octet-stream")
                        .end(io.vertx.core.buffer.Buffer.buffer(new byte[size]));
                    return;
                  }
                  request
                      .body()
                      .onSuccess(
                          body -> {
                            JsonObject headers = new JsonObject();
                            request
                                .headers()
                                .forEach(
                                    h ->
                                        headers.put(
                                            h.getKey().toLowerCase(java.util.Locale.ROOT),
                                            h.getValue()));
                            request
                                .response()
                                .putHeader("content-type", "application/json")
                                .putHeader("x-backend", "echo")
                                .end(
                                    new JsonObject()
                                        .put("method", request.method().name())
                                        .put("path", request.path())
                                        .put("query", request.query())
                                        .put("headers", headers)
                                        .put("bodyBytes", body.length())
                                        .encode());
                          });
                })
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return new TestBackend(server);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    GatewayRig.await(server.close());
  }
}
