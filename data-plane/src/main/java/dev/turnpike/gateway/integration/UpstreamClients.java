package dev.turnpike.gateway.integration;

import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.domain.SealedSecrets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.ClientSSLOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One upstream connection pool per tenant, so a tenant whose backend is slow exhausts its own
 * connections and not its neighbours'. Integrations with their own TLS settings use their tenant's
 * pool with per-request TLS options compiled once per distinct setting (see {@link
 * BackendTlsOptions}): Vert.x keeps their connections apart from the default ones.
 */
public final class UpstreamClients {
  private final Vertx vertx;
  private final int maxConnectionsPerTenant;
  private final ConcurrentHashMap<String, HttpClientAgent> clients = new ConcurrentHashMap<>();
  private final BackendTlsOptions tls;

  /** Clients that serve no integration with a client certificate (no key to open them). */
  public UpstreamClients(Vertx vertx, int maxConnectionsPerTenant) {
    this(vertx, maxConnectionsPerTenant, null);
  }

  /**
   * @param secrets opens the sealed keys of backend client certificates; null when the operator set
   *     no secret key
   */
  public UpstreamClients(Vertx vertx, int maxConnectionsPerTenant, SealedSecrets secrets) {
    if (maxConnectionsPerTenant < 1) {
      throw new IllegalArgumentException("maxConnectionsPerTenant must be >= 1");
    }
    this.vertx = vertx;
    this.maxConnectionsPerTenant = maxConnectionsPerTenant;
    this.tls = new BackendTlsOptions(secrets);
  }

  /**
   * The TLS options of a backend with its own settings, null for the defaults; compiled when a
   * deployment is, never per request.
   *
   * @throws IllegalArgumentException when they cannot be used (see {@link BackendTlsOptions})
   */
  public ClientSSLOptions tlsOptions(String tenantId, BackendTls settings) {
    return tls.compile(tenantId, settings);
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
