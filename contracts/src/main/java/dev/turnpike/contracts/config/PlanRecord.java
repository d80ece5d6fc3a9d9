package dev.turnpike.contracts.config;

import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import java.util.List;

/**
 * A usage plan as the gateway enforces it: throttle, quota and the API stages it covers. Prices
 * stay in the control plane and metering; the gateway does not need them.
 *
 * @param throttle null for no plan-level throttle
 * @param quota null for no quota
 */
public record PlanRecord(
    int schemaVersion,
    String tenantId,
    String planId,
    String name,
    ThrottleLimit throttle,
    QuotaLimit quota,
    List<PlanStage> apiStages)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<PlanRecord> CODEC = JsonCodec.of(PlanRecord.class, SCHEMA_VERSION);

  public PlanRecord {
    apiStages = apiStages == null ? List.of() : List.copyOf(apiStages);
  }
}
