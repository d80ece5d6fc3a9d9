package dev.turnpike.metering.aggregation;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * One row of {@code release_aggregates}: an hour of one API stage's calls on one side of a canary
 * release ({@code canary} false for the base deployment, and for stages without a canary).
 */
public record ReleaseKey(
    UUID tenantId, String apiId, String stage, Instant bucketStart, boolean canary) {
  /** One fixed order, so concurrent writers lock the rows alike and cannot deadlock. */
  static final Comparator<ReleaseKey> LOCK_ORDER =
      Comparator.comparing(ReleaseKey::tenantId)
          .thenComparing(ReleaseKey::apiId)
          .thenComparing(ReleaseKey::stage)
          .thenComparing(ReleaseKey::bucketStart)
          .thenComparing(ReleaseKey::canary);
}
