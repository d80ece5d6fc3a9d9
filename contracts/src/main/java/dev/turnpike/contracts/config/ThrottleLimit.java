package dev.turnpike.contracts.config;

/**
 * A token-bucket limit as API Gateway defines it: a steady rate in requests per second (may be
 * fractional) and a burst in requests.
 */
public record ThrottleLimit(double rateLimit, int burstLimit) {
  public ThrottleLimit {
    if (Double.isNaN(rateLimit) || rateLimit < 0) {
      throw new IllegalArgumentException("rateLimit must be >= 0, was " + rateLimit);
    }
    if (burstLimit < 0) {
      throw new IllegalArgumentException("burstLimit must be >= 0, was " + burstLimit);
    }
  }
}
