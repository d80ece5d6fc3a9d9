package dev.turnpike.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on a free port of every local address (IPv4 and IPv6 loopback alike) that records
 * the path of each request it gets: the target an attack must never reach. {@code /redirect?to=URL}
 * answers 302 to URL; anything else 200 with the path it received.
 */
final class RecordingBackend implements AutoCloseable {
  private final HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  private RecordingBackend(Vertx vertx, String host, int port) throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  received.add(request.path());
                  if (request.path().equals("/redirect")) {
                    request
                        .response()
                        .setStatusCode(302)
                        .putHeader("location", request.getParam("to"))
                        .end();
                    return;
                  }
                  request
                      .response()
                      .putHeader("content-type", "application/json")
                      .end(new JsonObject().put("path", request.path()).encode());
                })
            .listen(port, host)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  static RecordingBackend start(Vertx vertx) throws Exception {
    return new RecordingBackend(vertx, "::", 0);
  }

  /** A backend on one local address only, e.g. {@code 127.0.0.2}, on {@code port} (0: any). */
  static RecordingBackend startOn(Vertx vertx, String host, int port) throws Exception {
    return new RecordingBackend(vertx, host, port);
  }

  int port() {
    return server.actualPort();
  }

  /** The paths requested so far, oldest first. */
  List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    GatewayRig.await(server.close());
  }
}
