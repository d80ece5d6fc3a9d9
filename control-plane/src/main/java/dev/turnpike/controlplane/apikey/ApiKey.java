package dev.turnpike.controlplane.apikey;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key as people see it after it was issued: never the key itself, only its visible prefix.
 *
 * @param expiresAt null for no expiry; a rotated key's grace period ends here
 * @param rotatedFrom the key this one replaced, if it came from a rotation
 */
public record ApiKey(
    UUID id,
    UUID appId,
    String name,
    String prefix,
    String status,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt,
    UUID rotatedFrom) {
  public ApiKey revoked(Instant now) {
    return new ApiKey(
        id, appId, name, prefix, "revoked", createdAt, expiresAt, lastUsedAt, now, rotatedFrom);
  }

  public ApiKey withStatus(String newStatus) {
    return new ApiKey(
        id,
        appId,
        name,
        prefix,
        newStatus,
        createdAt,
        expiresAt,
        lastUsedAt,
        revokedAt,
        rotatedFrom);
  }

  public ApiKey expiringAt(Instant expiry) {
    return new ApiKey(
        id, appId, name, prefix, status, createdAt, expiry, lastUsedAt, revokedAt, rotatedFrom);
  }
}
