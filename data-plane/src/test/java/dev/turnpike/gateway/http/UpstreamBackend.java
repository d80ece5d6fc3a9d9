package dev.turnpike.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One target of an upstream: a real HTTP server on a free port that answers {@code 200} with its
 * name in {@code x-target}, or 503, or never, as the test sets it; {@code /health} answers the
 * health status the test sets. Records every request it got (method and path).
 */
final class UpstreamBackend implements AutoCloseable {
  enum Mode {
    OK,
    FAIL,
    HANG
  }

  private final String name;
  private final HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger probes = new AtomicInteger();
  private volatile Mode mode = Mode.OK;
  private volatile int healthStatus = 200;

  private UpstreamBackend(Vertx vertx, String name, String host, int port) throws Exception {
    this.name = name;
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (request.path().equals("/health")) {
                    probes.incrementAndGet();
                    request.response().setStatusCode(healthStatus).end();
                    return;
                  }
                  received.add(request.method().name() + " " + request.path());
                  switch (mode) {
                    case HANG -> {}
                    case FAIL -> request.response().setStatusCode(503).end("down");
                    case OK ->
                        request
                            .body()
                            .onSuccess(
                                body ->
                                    request
                                        .response()
                                        .putHeader("x-target", name)
                                        .end(request.path()));
                  }
                })
            .listen(port, host)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  static UpstreamBackend start(Vertx vertx, String name) throws Exception {
    return new UpstreamBackend(vertx, name, "127.0.0.1", 0);
  }

  /** A backend on one loopback address, e.g. {@code 127.0.0.2}, and {@code port} (0: any). */
  static UpstreamBackend startOn(Vertx vertx, String name, String host, int port) throws Exception {
    return new UpstreamBackend(vertx, name, host, port);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  int port() {
    return server.actualPort();
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  void health(int status) {
    this.healthStatus = status;
  }

  /** Requests other than health probes, as {@code METHOD /path}, oldest first. */
  List<String> received() {
    return List.copyOf(received);
  }

  int probes() {
    return probes.get();
  }

  /**
   * Stops the server as a node being shut down does: no new connection is accepted, requests in
   * progress are answered, then its connections close.
   */
  void kill() {
    GatewayRig.await(server.shutdown(5, TimeUnit.SECONDS));
  }

  /** {@link #kill()} without waiting for it: from a test's own event loop. */
  void killAsync() {
    server.shutdown(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    GatewayRig.await(server.close());
  }
}
