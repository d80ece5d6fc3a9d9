package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.gateway.canary.CanarySplit;

/**
 * A stage's canary, compiled: its deployment ready to serve as a stage of its own (the same
 * limiters, plans and in-flight count as the base, its own routes, integrations and meters) and the
 * split that picks a side per caller.
 *
 * @param stage the canary's deployment compiled with the stage's settings and its variable
 *     overrides; it has no canary of its own
 * @param keyFromHeader whether callers present keys in {@code x-api-key} (the base's key source),
 *     so the key, rather than the address, is what keeps a caller on its side
 */
public record CanaryRuntime(StageRuntime stage, CanarySplit split, boolean keyFromHeader) {

  static CanaryRuntime of(StageRuntime base, StageRuntime canary, int permille, long windowMillis) {
    return new CanaryRuntime(
        canary,
        new CanarySplit(
            base.tenantId() + '/' + base.apiId() + '/' + base.stage(), permille, windowMillis),
        base.deployment().apiKeySource() == ApiKeySource.HEADER);
  }

  /**
   * @param apiKey the {@code x-api-key} header as sent, null when absent
   * @param sourceAddress the caller's address as the gateway trusts it
   */
  public boolean serves(String apiKey, String sourceAddress, long nowMillis) {
    return split.isCanary(keyFromHeader && apiKey != null ? apiKey : sourceAddress, nowMillis);
  }
}
