package dev.turnpike.controlplane.tenant;

import java.time.Instant;
import java.util.UUID;

/** An API owner's account: every API, plan, app and key belongs to exactly one tenant. */
public record Tenant(UUID id, String slug, String name, String status, Instant createdAt) {}
