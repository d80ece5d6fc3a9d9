package dev.turnpike.contracts.config;

import java.util.Map;

/**
 * A stage's response cache, as API Gateway's stage cache: on or off, its size, the default time to
 * live, per-method overrides and who may make the gateway refresh an entry.
 *
 * @param enabled whether the stage caches at all
 * @param capacityBytes the stage's share of a node's memory for cached responses; a node caps it
 * @param ttlSeconds how long an entry is served, 0..3600 (0 turns caching off for the methods that
 *     do not override it)
 * @param methods per-method overrides keyed {@code "/path/METHOD"} as method throttles are; GET
 *     routes cache by default, other methods only when their override enables them
 * @param shareAcrossKeys when false (the default), the caller's API key or authorizer principal is
 *     part of the cache key of a route that identifies callers, so callers never read each other's
 *     entries
 * @param requireAuthorizationForCacheControl when true, a client's {@code Cache-Control: max-age=0}
 *     refreshes its entry only for a caller the route identified (API key or authorizer)
 * @param unauthorizedCacheControlHeaderStrategy what an unidentified caller's {@code max-age=0}
 *     gets; null reads as {@link UnauthorizedCacheControl#SUCCEED_WITH_RESPONSE_HEADER}
 * @param flushGeneration raised by each flush of the stage's cache; a node drops entries cached
 *     under an older one, so a flush reaches every node through the config feed
 */
public record StageCacheConfig(
    boolean enabled,
    long capacityBytes,
    int ttlSeconds,
    Map<String, MethodCacheSetting> methods,
    boolean shareAcrossKeys,
    boolean requireAuthorizationForCacheControl,
    UnauthorizedCacheControl unauthorizedCacheControlHeaderStrategy,
    long flushGeneration) {
  public static final int DEFAULT_TTL_SECONDS = 300;
  public static final int MAX_TTL_SECONDS = 3600;

  /** No cache: every call goes to the integration. */
  public static final StageCacheConfig OFF =
      new StageCacheConfig(false, 0, DEFAULT_TTL_SECONDS, Map.of(), false, true, null, 0);

  public StageCacheConfig {
    methods = methods == null ? Map.of() : Map.copyOf(methods);
    unauthorizedCacheControlHeaderStrategy =
        unauthorizedCacheControlHeaderStrategy == null
            ? UnauthorizedCacheControl.SUCCEED_WITH_RESPONSE_HEADER
            : unauthorizedCacheControlHeaderStrategy;
  }

  /**
   * A method's override of the stage's cache settings; a null part inherits the stage's value.
   *
   * @param enabled API Gateway's {@code caching/enabled}
   * @param ttlSeconds API Gateway's {@code caching/ttlInSeconds}, 0..3600
   */
  public record MethodCacheSetting(Boolean enabled, Integer ttlSeconds) {}

  /** API Gateway's {@code unauthorizedCacheControlHeaderStrategy}. */
  public enum UnauthorizedCacheControl {
    /** Refuse the request with 403. */
    FAIL_WITH_403,
    /** Ignore the header, answer as usual, and say so in a {@code Warning} header. */
    SUCCEED_WITH_RESPONSE_HEADER,
    /** Ignore the header silently. */
    SUCCEED_WITHOUT_RESPONSE_HEADER
  }
}
