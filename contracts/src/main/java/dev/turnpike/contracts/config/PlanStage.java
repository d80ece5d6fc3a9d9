package dev.turnpike.contracts.config;

import java.util.Map;

/**
 * A usage plan's binding to one API stage.
 *
 * @param throttle the plan's limit for this stage, null to use the plan's own
 * @param methodThrottles per-method limits keyed {@code "/path/METHOD"}
 */
public record PlanStage(
    String apiId,
    String stage,
    ThrottleLimit throttle,
    Map<String, ThrottleLimit> methodThrottles) {
  public PlanStage {
    methodThrottles = methodThrottles == null ? Map.of() : Map.copyOf(methodThrottles);
  }
}
