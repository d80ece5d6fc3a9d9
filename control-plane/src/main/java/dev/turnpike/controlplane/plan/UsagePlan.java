package dev.turnpike.controlplane.plan;

import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.ThrottleLimit;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A usage plan: what a subscribed app may do (throttle, quota, per-stage and per-method limits) and
 * what it pays.
 *
 * @param limitScope what throttle and quota count: {@code key} (each key, API Gateway's rule) or
 *     {@code subscription} (every key of one app's subscription together)
 * @param maxConnectionsPerKey how many WebSocket connections one key may hold open at once (each
 *     gateway node counts its own); null for no limit of the plan's own
 */
public record UsagePlan(
    UUID id,
    String name,
    String description,
    ThrottleLimit throttle,
    QuotaLimit quota,
    Pricing pricing,
    boolean requiresApproval,
    String status,
    List<PlanApiStage> apiStages,
    Instant createdAt,
    Instant updatedAt,
    String limitScope,
    Integer maxConnectionsPerKey) {
  public UsagePlan {
    apiStages = List.copyOf(apiStages);
  }
}
