package dev.turnpike.controlplane.apikey;

import java.time.Instant;
import java.util.UUID;

/**
 * A key just issued, with the full key: the only time it is ever shown.
 *
 * @param previous the rotated key, with its new expiry, when this key came from a rotation
 */
public record IssuedKey(
    UUID id,
    UUID appId,
    String key,
    String name,
    String prefix,
    String status,
    Instant createdAt,
    Instant expiresAt,
    UUID rotatedFrom,
    ApiKey previous) {
  @Override
  public String toString() {
    return "IssuedKey[id=" + id + ", prefix=" + prefix + "]";
  }
}
