package dev.turnpike.controlplane.plan;

import dev.turnpike.contracts.config.ThrottleLimit;
import java.util.Map;
import java.util.UUID;

/**
 * A plan's binding to one API stage.
 *
 * @param throttle the plan's limit on this stage, null to use the plan's own
 * @param methodThrottles per-method limits keyed {@code "/path/METHOD"}
 */
public record PlanApiStage(
    UUID apiId,
    String stage,
    UUID stageId,
    ThrottleLimit throttle,
    Map<String, ThrottleLimit> methodThrottles) {
  public PlanApiStage {
    methodThrottles = Map.copyOf(methodThrottles);
  }
}
