package dev.turnpike.controlplane.portal;

import java.time.Instant;
import java.util.UUID;

/** A developer registered in one tenant's portal, with the profile they gave there. */
public record Developer(
    UUID userId,
    String displayName,
    String email,
    String company,
    String status,
    Instant createdAt,
    Instant updatedAt) {}
