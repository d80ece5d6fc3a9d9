package dev.turnpike.gateway.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for retrying Kafka while it is unreachable; the jitter keeps a
 * fleet of nodes restarted together from retrying in step.
 */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration initial, Duration max) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.nextMillis = initialMillis;
  }

  /** The wait before the next attempt: doubles each time up to the maximum, then ±20%. */
  Duration next() {
    long base = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    long jitter = base / 5;
    return Duration.ofMillis(base - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
  }

  void reset() {
    nextMillis = initialMillis;
  }
}
