package dev.turnpike.controlplane.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A base path of a domain and the API stage it serves.
 *
 * @param basePath one segment, or {@code ""} for the whole domain
 */
public record DomainMapping(
    String domainName, String basePath, UUID apiId, String stage, Instant createdAt) {}
