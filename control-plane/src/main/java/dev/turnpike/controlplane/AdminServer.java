package dev.turnpike.controlplane;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} (Prometheus text) on a port of its own, away from the management API that
 * tenants reach: the relay's counters are about every tenant. The JDK's HTTP server is enough for
 * one endpoint a scraper calls.
 */
final class AdminServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * Listens when {@code port} is 0 or more (0 picks a free one).
   *
   * @return null when {@code port} is -1: no admin port
   */
  static AdminServer start(String host, int port, PrometheusMeterRegistry registry) {
    return port < 0 ? null : new AdminServer(host, port, registry);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private AdminServer(String host, int port, PrometheusMeterRegistry registry) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the admin port " + host + ":" + port, e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("content-type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
