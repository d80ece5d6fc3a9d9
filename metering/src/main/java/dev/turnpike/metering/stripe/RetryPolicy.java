package dev.turnpike.metering.stripe;

import java.time.Duration;

/**
 * How Stripe calls are retried on 429, 5xx and network failures: up to {@code maxAttempts} in all,
 * waiting {@code baseDelay × 2^(attempt-1)} (capped at {@code maxDelay}) between them.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public Duration delayBefore(int attempt) {
    long factor = 1L << Math.min(20, attempt - 2);
    Duration delay = baseDelay.multipliedBy(factor);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
