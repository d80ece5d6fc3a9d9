package dev.turnpike.gateway.integration;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One upstream connection pool per tenant, so a tenant whose backend is slow exhausts its own
 * connections and not its neighbours'.
 */
public final class UpstreamClients {
  private final Vertx vertx;
  private final int maxConnectionsPerTenant;
  private final ConcurrentHashMap<String, HttpClientAgent> clients = new ConcurrentHashMap<>();

  public UpstreamClients(Vertx vertx, int maxConnectionsPerTenant) {
    if (maxConnectionsPerTenant < 1) {
      throw new IllegalArgumentException("maxConnectionsPerTenant must be >= 1");
    }
    this.vertx = vertx;
    this.maxConnectionsPerTenant = maxConnectionsPerTenant;
  }

  /** The Vert.x instance the clients run on. */
  public Vertx vertx() {
    return vertx;
  }

  public HttpClient forTenant(String tenantId) {
    return clients.computeIfAbsent(tenantId, ignored -> newClient());
  }

  private HttpClientAgent newClient() {
    HttpClientOptions options =
        new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            // Bodies pass through as the backend encoded them.
            .setDecompressionSupported(false)
            .setMaxHeaderSize(64 * 1024);
    PoolOptions pool =
        new PoolOptions().setHttp1MaxSize(maxConnectionsPerTenant).setMaxWaitQueueSize(10_000);
    return vertx.createHttpClient(options, pool);
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    clients.values().forEach(client -> closing.add(client.close()));
    clients.clear();
    return Future.all(closing).mapEmpty();
  }
}
