package dev.turnpike.gateway.runtime;

import dev.turnpike.gateway.quota.QuotaPolicy;
import dev.turnpike.gateway.throttle.GcraLimiter;
import java.util.Map;

/**
 * A usage plan as it applies to one stage: its per-key limiters and quota.
 *
 * @param keyLimiter the plan's per-key throttle for this stage (shared across the plan's stages
 *     unless the binding overrides it), null when the plan does not throttle
 * @param methodLimiters per-key limiters keyed {@code "/path/METHOD"}
 * @param quota null when the plan has no quota
 * @param perSubscription true when throttle and quota count all keys of an app's subscription
 *     together rather than each key (API Gateway's rule)
 * @param maxConnectionsPerKey how many WebSocket connections one key may hold open on this node; 0
 *     for no limit of the plan's own
 */
public record PlanBinding(
    String planId,
    GcraLimiter keyLimiter,
    Map<String, GcraLimiter> methodLimiters,
    QuotaPolicy quota,
    boolean perSubscription,
    int maxConnectionsPerKey) {}
