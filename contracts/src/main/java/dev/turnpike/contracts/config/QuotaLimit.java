package dev.turnpike.contracts.config;

/**
 * A usage-plan quota as API Gateway defines it.
 *
 * @param offset requests taken off the limit in the first period (AWS's {@code quota.offset})
 */
public record QuotaLimit(long limit, long offset, QuotaPeriod period) {
  public QuotaLimit {
    if (limit < 0) {
      throw new IllegalArgumentException("quota limit must be >= 0, was " + limit);
    }
    if (offset < 0 || offset > limit) {
      throw new IllegalArgumentException("quota offset must be within 0.." + limit);
    }
    if (period == null) {
      throw new IllegalArgumentException("quota period is required");
    }
  }
}
