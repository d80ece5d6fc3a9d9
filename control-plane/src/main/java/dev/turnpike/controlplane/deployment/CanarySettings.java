package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.controlplane.problem.Validation;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/**
 * A stage's canary as an owner sets it, in API Gateway's words ({@code deploymentId}, {@code
 * percentTraffic}, {@code stageVariableOverrides}, {@code useStageCache}), with Turnpike's {@code
 * stickinessSeconds}: how long a caller keeps its side.
 */
public record CanarySettings(
    UUID deploymentId,
    Double percentTraffic,
    Map<String, String> stageVariableOverrides,
    Boolean useStageCache,
    Integer stickinessSeconds) {

  /**
   * Checks every field but the deployment's existence (the use case's, as it needs the store),
   * recording each problem under its JSON pointer.
   */
  public void validate(Validation v) {
    v.required("/deploymentId", deploymentId);
    if (v.required("/percentTraffic", percentTraffic)) {
      double p = percentTraffic;
      if (!(p >= 0 && p <= 100)) {
        v.add("/percentTraffic", "must be between 0 and 100");
      } else if (BigDecimal.valueOf(p).stripTrailingZeros().scale() > 1) {
        v.add("/percentTraffic", "is set in steps of 0.1");
      }
    }
    Stages.validateVariables(v, "/stageVariableOverrides/", stageVariableOverrides);
    if (stickinessSeconds != null) {
      v.range("/stickinessSeconds", stickinessSeconds, 1, CanaryConfig.MAX_STICKINESS_SECONDS);
    }
  }

  /** The canary these settings describe (validated). */
  public StageCanary toCanary() {
    return new StageCanary(
        deploymentId,
        percentTraffic,
        stageVariableOverrides,
        // API Gateway's default: the canary uses the stage cache.
        !Boolean.FALSE.equals(useStageCache),
        stickinessSeconds == null ? CanaryConfig.DEFAULT_STICKINESS_SECONDS : stickinessSeconds);
  }
}
