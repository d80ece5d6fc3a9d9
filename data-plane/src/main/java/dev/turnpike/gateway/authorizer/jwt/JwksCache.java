package dev.turnpike.gateway.authorizer.jwt;

import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The node's JWK sets, one per tenant and issuer, kept across deployments and shared by every stage
 * and event loop: a redeploy does not refetch keys, and a thousand routes behind one issuer cost
 * one fetch. Keyed by tenant too because whether a fetch may reach the issuer is the tenant's
 * egress decision (an operator may grant one tenant a private issuer): keys fetched under one
 * tenant's grant never serve another's. Bounded: at {@link #MAX_ISSUERS} an entry is dropped for
 * each new one, and {@link #evictIdle} forgets issuers no token used for {@link #IDLE_AFTER}.
 */
public final class JwksCache {
  static final int MAX_ISSUERS = 10_000;
  static final Duration IDLE_AFTER = Duration.ofHours(1);

  /** Settings, with API Gateway-like defaults in {@link #DEFAULTS}. */
  public record Settings(Duration fetchTimeout, Duration minRefresh, Duration maxAge) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofHours(1));
  }

  private final JwksFetcher fetcher;
  private final Clock clock;
  private final Settings settings;
  private final ConcurrentHashMap<String, IssuerKeys> byTenantAndIssuer = new ConcurrentHashMap<>();

  /**
   * @param clientOfTenant the HTTP client a tenant's requests go out on (its upstream pool)
   */
  public JwksCache(
      Vertx vertx,
      Function<String, HttpClient> clientOfTenant,
      EgressGuard egress,
      Clock clock,
      Settings settings) {
    this.fetcher =
        new JwksFetcher(vertx, clientOfTenant, egress, settings.fetchTimeout().toMillis());
    this.clock = clock;
    this.settings = settings;
  }

  IssuerKeys keysOf(IntegrationOwner owner, String issuer) {
    String key = owner.tenantId() + '\n' + issuer;
    IssuerKeys keys = byTenantAndIssuer.get(key);
    if (keys != null) {
      return keys;
    }
    if (byTenantAndIssuer.size() >= MAX_ISSUERS) {
      Iterator<String> any = byTenantAndIssuer.keySet().iterator();
      if (any.hasNext()) {
        byTenantAndIssuer.remove(any.next());
      }
    }
    return byTenantAndIssuer.computeIfAbsent(
        key,
        ignored ->
            new IssuerKeys(
                issuer,
                owner,
                fetcher,
                clock,
                settings.minRefresh().toMillis(),
                settings.maxAge().toMillis()));
  }

  /** Forgets issuers no token asked about lately; their next token fetches afresh. */
  public void evictIdle(long nowMillis) {
    long idle = IDLE_AFTER.toMillis();
    byTenantAndIssuer.values().removeIf(keys -> nowMillis - keys.lastUsedMillis() > idle);
  }

  public int size() {
    return byTenantAndIssuer.size();
  }
}
