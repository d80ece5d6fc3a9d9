package dev.turnpike.metering.aggregation;

import java.time.Duration;

/** Doubling delays between attempts, from {@code min} up to {@code max}, reset on success. */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long nextMillis;

  public Backoff(Duration min, Duration max) {
    this.minMillis = min.toMillis();
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.nextMillis = minMillis;
  }

  /** The delay before the next attempt; each call doubles the one after, up to the maximum. */
  public long nextDelayMillis() {
    long delay = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return delay;
  }

  public void reset() {
    nextMillis = minMillis;
  }
}
