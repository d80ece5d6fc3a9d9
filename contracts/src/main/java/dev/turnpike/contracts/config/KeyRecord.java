package dev.turnpike.contracts.config;

import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.SharedValues;
import dev.turnpike.contracts.json.Versioned;
import java.time.Instant;
import java.util.List;

/**
 * What the gateway knows of an API key. Never the key itself: only its SHA-256 and the short prefix
 * shown to people.
 *
 * @param expiresAt null for no expiry; a rotated key gets its grace period's end here
 */
public record KeyRecord(
    int schemaVersion,
    String keyHash,
    String keyId,
    String prefix,
    String tenantId,
    String appId,
    List<String> planIds,
    KeyStatus status,
    Instant expiresAt)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<KeyRecord> CODEC = JsonCodec.of(KeyRecord.class, SCHEMA_VERSION);

  public KeyRecord {
    // A tenant's and a plan's ids repeat in each of their keys: one instance for all
    // (SharedValues).
    tenantId = SharedValues.id(tenantId);
    planIds =
        planIds == null ? List.of() : List.copyOf(planIds.stream().map(SharedValues::id).toList());
    status = status == null ? KeyStatus.UNKNOWN : status;
    expiresAt = SharedValues.instant(expiresAt);
  }

  public boolean usableAt(Instant now) {
    return status == KeyStatus.ENABLED && (expiresAt == null || now.isBefore(expiresAt));
  }
}
