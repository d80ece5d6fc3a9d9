package dev.turnpike.controlplane.api;

import java.time.Instant;
import java.util.UUID;

/** One method on one resource path of an API, and the integration that serves it. */
public record Route(
    UUID id,
    UUID apiId,
    String method,
    String resourcePath,
    boolean apiKeyRequired,
    UUID integrationId,
    Instant createdAt) {}
