package dev.turnpike.gateway.admin;

import dev.turnpike.listener.ListenerGuard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The node's admin port, kept apart from API traffic: {@code /health} (the process is up), {@code
 * /ready} (config caught up, so a load balancer may send traffic) and {@code /metrics} (Prometheus
 * text format).
 */
public final class AdminVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final ListenerGuard guard;
  private final BooleanSupplier ready;
  private final PrometheusMeterRegistry metrics;
  private HttpServer server;

  public AdminVerticle(
      HttpServerOptions options,
      ListenerGuard guard,
      BooleanSupplier ready,
      PrometheusMeterRegistry metrics) {
    this.options = options;
    this.guard = guard;
    this.ready = ready;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    server = guard.createServer(vertx, options).requestHandler(this::handle);
    return server.listen();
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> json(request, 200, "{\"status\":\"UP\"}");
      case "/ready" ->
          json(
              request,
              ready.getAsBoolean() ? 200 : 503,
              ready.getAsBoolean() ? "{\"status\":\"READY\"}" : "{\"status\":\"CATCHING_UP\"}");
      case "/metrics" ->
          // Scraping walks every meter: done off the event loop.
          vertx
              .executeBlocking(metrics::scrape, false)
              .onSuccess(
                  text ->
                      request
                          .response()
                          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                          .end(text))
              .onFailure(error -> json(request, 500, "{\"message\":\"metrics unavailable\"}"));
      default -> json(request, 404, "{\"message\":\"Not Found\"}");
    }
  }

  private static void json(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body);
  }
}
