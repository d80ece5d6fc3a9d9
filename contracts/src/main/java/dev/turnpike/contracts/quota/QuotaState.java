package dev.turnpike.contracts.quota;

import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.SharedValues;
import dev.turnpike.contracts.json.Versioned;
import java.time.Instant;

/**
 * Metering's authoritative count of one key's use under one plan in the current quota period.
 * Published on every batch that changes it and at each period reset.
 *
 * @param keyId the subject the quota counts for ({@link
 *     dev.turnpike.contracts.config.LimitScope#subject}): the key id, or {@code app:<app id>} when
 *     the plan counts per subscription
 */
public record QuotaState(
    int schemaVersion,
    String tenantId,
    String keyId,
    String planId,
    QuotaPeriod period,
    Instant periodStart,
    Instant periodEnd,
    long limit,
    long used,
    boolean exceeded,
    Instant updatedAt)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<QuotaState> CODEC = JsonCodec.of(QuotaState.class, SCHEMA_VERSION);

  public QuotaState {
    // A gateway node holds one state per key: the tenant's and plan's ids and the period's bounds
    // repeat in every one of them (SharedValues). The key id is the key's own.
    tenantId = SharedValues.id(tenantId);
    planId = SharedValues.id(planId);
    periodStart = SharedValues.instant(periodStart);
    periodEnd = SharedValues.instant(periodEnd);
    updatedAt = SharedValues.instant(updatedAt);
  }

  public long remaining() {
    return Math.max(0, limit - used);
  }
}
