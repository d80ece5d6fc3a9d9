package dev.turnpike.controlplane.authorizer;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.UUID;

/**
 * One authorizer of an API, as stored: named within its API, judged and completed by {@link
 * AuthorizerRules}. Its id is what a deployment's routes name.
 */
public record Authorizer(
    UUID id,
    UUID apiId,
    String name,
    @JsonUnwrapped AuthorizerSpec spec,
    Instant createdAt,
    Instant updatedAt) {}
