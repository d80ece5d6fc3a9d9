package dev.turnpike.controlplane.deployment;

import java.time.Instant;
import java.util.UUID;

/**
 * A frozen version of an API definition. Never changed once made.
 *
 * @param hash SHA-256 (hex) of the frozen definition's canonical JSON
 */
public record Deployment(
    UUID id, UUID apiId, String description, String hash, UUID createdBy, Instant createdAt) {}
