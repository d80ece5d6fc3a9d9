package dev.turnpike.gateway.cache;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.MethodCacheSetting;
import dev.turnpike.contracts.config.StageCacheConfig.UnauthorizedCacheControl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How one route uses its stage's cache, compiled at deploy time so the request path only reads.
 *
 * @param cache the stage's cache on this node
 * @param scope the tenant, API, stage and flush generation every key of the stage starts with
 * @param ttlNanos how long a stored response is served
 * @param anyMethod whether requests of every method the route takes are cached (the method setting
 *     enabled caching explicitly), not only GET
 * @param parameters the route's cache key parameters
 * @param perCaller whether the caller's key or principal is part of the key
 * @param requireAuthorizationForCacheControl see {@link StageCacheConfig}
 * @param unauthorizedStrategy see {@link StageCacheConfig}
 * @param maxEntryBytes bodies above it are passed through uncached
 */
public record RouteCache(
    StageCache cache,
    String scope,
    long ttlNanos,
    boolean anyMethod,
    List<CacheKeyParameter> parameters,
    boolean perCaller,
    boolean requireAuthorizationForCacheControl,
    UnauthorizedCacheControl unauthorizedStrategy,
    int maxEntryBytes) {

  /** The setting that applies to every method, as API Gateway's {@code * / *} path. */
  public static final String ALL_METHODS = "*/*";

  /**
   * The route's rule, or null when it caches nothing: no stage cache, caching turned off for its
   * method, or a time to live of 0.
   *
   * @throws IllegalArgumentException naming a cache key parameter that cannot be read
   */
  public static RouteCache compile(
      DeploymentSnapshot deployment, RouteConfig route, StageCache cache, int maxEntryBytes) {
    if (cache == null) {
      return null;
    }
    StageCacheConfig config = deployment.cache();
    MethodCacheSetting setting = config.methods().get(route.resourcePath() + "/" + route.method());
    MethodCacheSetting all = config.methods().get(ALL_METHODS);
    Boolean enabled = enabled(setting, all);
    if (Boolean.FALSE.equals(enabled)) {
      return null;
    }
    int ttlSeconds = ttl(setting, all, config.ttlSeconds());
    if (ttlSeconds <= 0) {
      return null;
    }
    List<CacheKeyParameter> parameters = new ArrayList<>();
    for (String expression : route.cacheKeyParameters()) {
      parameters.add(CacheKeyParameter.parse(expression));
    }
    return new RouteCache(
        cache,
        CacheKey.scope(
            deployment.tenantId(),
            deployment.apiId(),
            deployment.stage(),
            config.flushGeneration()),
        TimeUnit.SECONDS.toNanos(ttlSeconds),
        Boolean.TRUE.equals(enabled),
        List.copyOf(parameters),
        !config.shareAcrossKeys(),
        config.requireAuthorizationForCacheControl(),
        config.unauthorizedCacheControlHeaderStrategy(),
        maxEntryBytes);
  }

  /** Whether a request of this method is looked up and stored: GET always, others when enabled. */
  public boolean caches(String requestMethod) {
    return anyMethod || "GET".equals(requestMethod);
  }

  private static Boolean enabled(MethodCacheSetting setting, MethodCacheSetting all) {
    if (setting != null && setting.enabled() != null) {
      return setting.enabled();
    }
    return all == null ? null : all.enabled();
  }

  private static int ttl(MethodCacheSetting setting, MethodCacheSetting all, int stageTtl) {
    if (setting != null && setting.ttlSeconds() != null) {
      return setting.ttlSeconds();
    }
    if (all != null && all.ttlSeconds() != null) {
      return all.ttlSeconds();
    }
    return stageTtl;
  }
}
