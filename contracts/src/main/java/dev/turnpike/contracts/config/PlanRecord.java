package dev.turnpike.contracts.config;

import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.SharedValues;
import dev.turnpike.contracts.json.Versioned;
import java.util.List;

/**
 * A usage plan as the gateway enforces it: throttle, quota and the API stages it covers. Prices
 * stay in the control plane and metering; the gateway does not need them.
 *
 * @param throttle null for no plan-level throttle
 * @param quota null for no quota
 * @param limitScope what throttle and quota count: each key (the default, also for records written
 *     before the field existed) or each app's subscription
 * @param maxConnectionsPerKey how many WebSocket connections one key of the plan may hold open at
 *     once (on one gateway node); null for no limit of the plan's own
 */
public record PlanRecord(
    int schemaVersion,
    String tenantId,
    String planId,
    String name,
    ThrottleLimit throttle,
    QuotaLimit quota,
    List<PlanStage> apiStages,
    LimitScope limitScope,
    Integer maxConnectionsPerKey)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<PlanRecord> CODEC = JsonCodec.of(PlanRecord.class, SCHEMA_VERSION);

  public PlanRecord {
    // The same instances as the tenant's keys and quota states hold (SharedValues).
    tenantId = SharedValues.id(tenantId);
    planId = SharedValues.id(planId);
    apiStages = apiStages == null ? List.of() : List.copyOf(apiStages);
    limitScope = limitScope == null ? LimitScope.KEY : limitScope;
    if (maxConnectionsPerKey != null && maxConnectionsPerKey < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerKey must be >= 1 or absent, was " + maxConnectionsPerKey);
    }
  }

  /** A plan without a connection limit of its own. */
  public PlanRecord(
      int schemaVersion,
      String tenantId,
      String planId,
      String name,
      ThrottleLimit throttle,
      QuotaLimit quota,
      List<PlanStage> apiStages,
      LimitScope limitScope) {
    this(schemaVersion, tenantId, planId, name, throttle, quota, apiStages, limitScope, null);
  }

  /** A plan counting per key, as API Gateway does. */
  public PlanRecord(
      int schemaVersion,
      String tenantId,
      String planId,
      String name,
      ThrottleLimit throttle,
      QuotaLimit quota,
      List<PlanStage> apiStages) {
    this(schemaVersion, tenantId, planId, name, throttle, quota, apiStages, LimitScope.KEY);
  }
}
