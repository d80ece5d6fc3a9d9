package dev.turnpike.controlplane.portal;

import java.time.Instant;
import java.util.UUID;

/**
 * A developer registered in one tenant's portal, with the profile they gave there.
 *
 * @param status {@code active}, or {@code blocked} by the tenant's owner
 * @param blockedReason what the owner told the developer when blocking them; null when active
 * @param blockedAt when they were blocked; null when active
 */
public record Developer(
    UUID userId,
    String displayName,
    String email,
    String company,
    String status,
    String blockedReason,
    Instant blockedAt,
    Instant createdAt,
    Instant updatedAt) {
  public boolean blocked() {
    return "blocked".equals(status);
  }

  /** The same developer with a new profile; status and block stay. */
  public Developer withProfile(String newName, String newEmail, String newCompany, Instant now) {
    return new Developer(
        userId, newName, newEmail, newCompany, status, blockedReason, blockedAt, createdAt, now);
  }

  public Developer block(String reason, Instant now) {
    return new Developer(
        userId, displayName, email, company, "blocked", reason, now, createdAt, now);
  }

  public Developer unblock(Instant now) {
    return new Developer(userId, displayName, email, company, "active", null, null, createdAt, now);
  }
}
