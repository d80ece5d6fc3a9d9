package dev.turnpike.controlplane.deployment;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.UUID;

/**
 * A frozen version of an API definition. Never changed once made; its delivery to the gateways is
 * read beside it.
 *
 * @param hash SHA-256 (hex) of the frozen definition's canonical JSON
 * @param delivery whether it reached the gateways, as {@code status} and {@code failure}
 */
public record Deployment(
    UUID id,
    UUID apiId,
    String description,
    String hash,
    UUID createdBy,
    Instant createdAt,
    @JsonUnwrapped Delivery delivery) {}
