package dev.turnpike.controlplane.tenant;

import java.time.Instant;
import java.util.UUID;

/** A person's membership in a tenant. */
public record Member(
    UUID userId, String email, String displayName, String role, Instant createdAt) {}
