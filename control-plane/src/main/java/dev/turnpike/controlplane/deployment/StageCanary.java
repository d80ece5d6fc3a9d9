package dev.turnpike.controlplane.deployment;

import java.util.Map;
import java.util.UUID;

/**
 * A stage's canary (API Gateway's {@code canarySettings}): another deployment of the stage's API
 * serving a share of its callers, with stage-variable overrides of its own.
 *
 * @param percentTraffic the canary's share, 0 to 100 in steps of 0.1
 * @param stageVariableOverrides merged over the stage's variables for canary requests, and into
 *     them on promotion
 * @param useStageCache whether canary requests read and write the stage's response cache
 * @param stickinessSeconds how long a caller (by API key, else source address) stays on its side
 */
public record StageCanary(
    UUID deploymentId,
    double percentTraffic,
    Map<String, String> stageVariableOverrides,
    boolean useStageCache,
    int stickinessSeconds) {
  public StageCanary {
    stageVariableOverrides =
        stageVariableOverrides == null ? Map.of() : Map.copyOf(stageVariableOverrides);
  }

  /** The stage's variables as canary requests see them: the overrides win. */
  public Map<String, String> mergedInto(Map<String, String> variables) {
    Map<String, String> merged = new java.util.TreeMap<>(variables);
    merged.putAll(stageVariableOverrides);
    return merged;
  }
}
