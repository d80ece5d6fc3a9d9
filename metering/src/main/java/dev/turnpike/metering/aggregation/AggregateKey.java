package dev.turnpike.metering.aggregation;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code usage_aggregates}: a bucket of one granularity for one combination of tenant,
 * API, stage, key, app and plan. Calls without a key carry empty key, app and plan ids.
 */
public record AggregateKey(
    UUID tenantId,
    Granularity granularity,
    Instant bucketStart,
    String apiId,
    String stage,
    String keyId,
    String appId,
    String planId) {}
