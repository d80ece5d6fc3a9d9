package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.MethodCacheSetting;
import dev.turnpike.contracts.config.StageCacheConfig.UnauthorizedCacheControl;
import dev.turnpike.controlplane.problem.Validation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's response cache as an owner sets it, in API Gateway's words ({@code
 * cacheClusterEnabled}, {@code cacheTtlInSeconds}, method settings' {@code caching/enabled} and
 * {@code caching/ttlInSeconds}, {@code requireAuthorizationForCacheControl}, {@code
 * unauthorizedCacheControlHeaderStrategy}), with Turnpike's capacity in bytes (API Gateway sells
 * fixed cluster sizes) and {@code shareCacheAcrossKeys}.
 *
 * @param methodSettings keyed {@code "/path/METHOD"} as method throttles are, or {@code "*}{@code
 *     /*"} for every method
 */
public record StageCacheSettings(
    Boolean cacheClusterEnabled,
    Long cacheCapacityBytes,
    Integer cacheTtlInSeconds,
    Map<String, MethodCache> methodSettings,
    Boolean shareCacheAcrossKeys,
    Boolean requireAuthorizationForCacheControl,
    String unauthorizedCacheControlHeaderStrategy) {

  /** The least and most an owner may ask for; each gateway node caps it further. */
  public static final long MIN_CAPACITY_BYTES = 1024 * 1024;

  public static final long MAX_CAPACITY_BYTES = 1024L * 1024 * 1024;
  public static final long DEFAULT_CAPACITY_BYTES = 64L * 1024 * 1024;

  /** One method's override; null parts inherit the stage's. */
  public record MethodCache(Boolean cachingEnabled, Integer cacheTtlInSeconds) {}

  /** Checks every field, recording each problem under its JSON pointer. */
  public void validate(Validation v) {
    if (cacheCapacityBytes != null) {
      v.range("/cacheCapacityBytes", cacheCapacityBytes, MIN_CAPACITY_BYTES, MAX_CAPACITY_BYTES);
    }
    if (cacheTtlInSeconds != null) {
      v.range("/cacheTtlInSeconds", cacheTtlInSeconds, 0, StageCacheConfig.MAX_TTL_SECONDS);
    }
    if (unauthorizedCacheControlHeaderStrategy != null
        && strategy(unauthorizedCacheControlHeaderStrategy) == null) {
      v.add(
          "/unauthorizedCacheControlHeaderStrategy",
          "must be one of " + Arrays.toString(UnauthorizedCacheControl.values()));
    }
    if (methodSettings != null) {
      methodSettings.forEach(
          (key, setting) -> {
            String pointer = "/methodSettings/" + key.replace("~", "~0").replace("/", "~1");
            String problem = "*/*".equals(key) ? null : Stages.methodKeyProblem(key);
            if (problem != null) {
              v.add(pointer, problem);
            } else if (setting == null) {
              v.add(pointer, "must be an object with cachingEnabled and/or cacheTtlInSeconds");
            } else if (setting.cacheTtlInSeconds() != null) {
              v.range(
                  pointer + "/cacheTtlInSeconds",
                  setting.cacheTtlInSeconds(),
                  0,
                  StageCacheConfig.MAX_TTL_SECONDS);
            }
          });
    }
  }

  /** The settings the gateway reads, keeping the stage's flush generation. */
  public StageCacheConfig toConfig(long flushGeneration) {
    Map<String, MethodCacheSetting> methods = new LinkedHashMap<>();
    if (methodSettings != null) {
      methodSettings.forEach(
          (key, setting) ->
              methods.put(
                  key,
                  new MethodCacheSetting(setting.cachingEnabled(), setting.cacheTtlInSeconds())));
    }
    return new StageCacheConfig(
        Boolean.TRUE.equals(cacheClusterEnabled),
        cacheCapacityBytes == null ? DEFAULT_CAPACITY_BYTES : cacheCapacityBytes,
        cacheTtlInSeconds == null ? StageCacheConfig.DEFAULT_TTL_SECONDS : cacheTtlInSeconds,
        methods,
        Boolean.TRUE.equals(shareCacheAcrossKeys),
        // API Gateway's default: invalidation needs authorization.
        !Boolean.FALSE.equals(requireAuthorizationForCacheControl),
        unauthorizedCacheControlHeaderStrategy == null
            ? null
            : strategy(unauthorizedCacheControlHeaderStrategy),
        flushGeneration);
  }

  private static UnauthorizedCacheControl strategy(String name) {
    for (UnauthorizedCacheControl strategy : UnauthorizedCacheControl.values()) {
      if (strategy.name().equals(name)) {
        return strategy;
      }
    }
    return null;
  }
}
