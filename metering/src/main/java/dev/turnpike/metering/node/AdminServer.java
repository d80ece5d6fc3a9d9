package dev.turnpike.metering.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (the process works), {@code /ready} (it consumes and every component runs) and
 * {@code /metrics} (Prometheus text) on a port of their own. The JDK's HTTP server is enough for
 * three endpoints a probe and a scraper call.
 */
final class AdminServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  AdminServer(
      String host,
      int port,
      BooleanSupplier healthy,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the admin port " + host + ":" + port, e);
    }
    server.setExecutor(executor);
    server.createContext("/health", exchange -> status(exchange, healthy.getAsBoolean()));
    server.createContext("/ready", exchange -> status(exchange, ready.getAsBoolean()));
    server.createContext(
        "/metrics",
        exchange -> send(exchange, 200, "text/plain; version=0.0.4", registry.scrape()));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void status(HttpExchange exchange, boolean up) throws IOException {
    send(
        exchange,
        up ? 200 : 503,
        "application/json",
        up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
