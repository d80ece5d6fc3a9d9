package dev.turnpike.controlplane.app;

import java.time.Instant;
import java.util.UUID;

/** An application that calls a tenant's APIs with keys, owned by one person. */
public record App(
    UUID id,
    String name,
    String description,
    UUID ownerUserId,
    String status,
    Instant createdAt,
    Instant updatedAt) {}
