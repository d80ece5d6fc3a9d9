package dev.turnpike.metering.node;

import dev.turnpike.listener.ListenerGuard;
import dev.turnpike.listener.ListenerLimits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (the process works), {@code /ready} (it consumes and every component runs) and
 * {@code /metrics} (Prometheus text) on a port of their own. A small Vert.x server of its own (one
 * event loop) so that the port gets the same {@link ListenerGuard} as every other listener: the
 * JDK's HTTP server only has process-wide limits. The checks and the scrape run off the event loop.
 */
final class AdminServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final BooleanSupplier healthy;
  private final BooleanSupplier ready;
  private final PrometheusMeterRegistry registry;

  AdminServer(
      String host,
      int port,
      ListenerLimits limits,
      BooleanSupplier healthy,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry) {
    this.healthy = healthy;
    this.ready = ready;
    this.registry = registry;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      this.server =
          await(
              new ListenerGuard("metering admin", limits)
                  .createServer(vertx, new HttpServerOptions().setHost(host).setPort(port))
                  .requestHandler(this::handle)
                  .listen());
    } catch (RuntimeException e) {
      await(vertx.close());
      throw new IllegalStateException(
          "cannot open the admin port " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> status(request, healthy);
      case "/ready" -> status(request, ready);
      case "/metrics" ->
          vertx
              .executeBlocking(registry::scrape, false)
              .onSuccess(
                  text ->
                      request
                          .response()
                          .putHeader("content-type", "text/plain; version=0.0.4")
                          .end(text))
              .onFailure(error -> send(request, 500, "{\"message\":\"metrics unavailable\"}"));
      default -> send(request, 404, "{\"message\":\"Not Found\"}");
    }
  }

  private void status(HttpServerRequest request, BooleanSupplier check) {
    vertx
        .executeBlocking(check::getAsBoolean, false)
        .onComplete(
            up ->
                send(
                    request,
                    up.succeeded() && up.result() ? 200 : 503,
                    up.succeeded() && up.result()
                        ? "{\"status\":\"UP\"}"
                        : "{\"status\":\"DOWN\"}"));
  }

  private static void send(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out", e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
