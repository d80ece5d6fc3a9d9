package dev.turnpike.gateway.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that reads every request whole, answers 200, and records what would betray a
 * desynchronized connection: a request whose path the gateway would never have produced, and
 * requests its HTTP parser could not read.
 */
final class RecordingBackend implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger malformed = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> smuggled = new ConcurrentLinkedQueue<>();

  private RecordingBackend(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.server =
        vertx
            // As lenient as the gateway's own limits: what it forwards must be readable here.
            .createHttpServer(
                new io.vertx.core.http.HttpServerOptions()
                    .setMaxInitialLineLength(64 * 1024)
                    .setMaxHeaderSize(64 * 1024))
            .invalidRequestHandler(
                request -> {
                  malformed.incrementAndGet();
                  if (Boolean.getBoolean("turnpike.fuzz.debug")) {
                    System.out.println(
                        "BACKEND-MALFORMED "
                            + request.uri()
                            + " "
                            + request.decoderResult().cause());
                  }
                  request.response().setStatusCode(400).end();
                })
            .requestHandler(
                request -> {
                  requests.incrementAndGet();
                  String path = request.path();
                  if (path == null || !(path.startsWith("/f/") || path.equals("/v"))) {
                    smuggled.add(request.method() + " " + request.uri());
                  }
                  request
                      .body()
                      .onComplete(
                          body -> request.response().putHeader("x-backend", "recording").end("ok"));
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  static RecordingBackend start() throws Exception {
    return new RecordingBackend(Vertx.vertx());
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  int requests() {
    return requests.get();
  }

  int malformed() {
    return malformed.get();
  }

  List<String> smuggled() {
    return List.copyOf(smuggled);
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
