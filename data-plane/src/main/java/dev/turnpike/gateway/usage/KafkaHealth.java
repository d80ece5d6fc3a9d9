package dev.turnpike.gateway.usage;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka is taking usage events, judged from the producer's own outcomes: it turns unhealthy
 * when a send fails or when records are outstanding and nothing was acknowledged for {@code
 * unhealthyAfter}; it turns healthy again when an acknowledgement arrives after that.
 *
 * <p>Producer callbacks (on the producer's I/O thread) only bump counters; the publisher thread
 * decides the state in {@link #refresh(long)}, so transitions are logged once, by one thread.
 */
final class KafkaHealth {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaHealth.class);

  private final long unhealthyAfterNanos;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile long lastProgressNanos;
  private volatile String lastFailure = "";
  private volatile boolean healthy = true;

  private long acksWhenUnhealthy;
  private long failuresSeen;

  KafkaHealth(long unhealthyAfterNanos, long nowNanos) {
    this.unhealthyAfterNanos = unhealthyAfterNanos;
    this.lastProgressNanos = nowNanos;
  }

  /** Before a record is handed to the producer; a stall is timed from the first outstanding one. */
  void sending(long nowNanos) {
    if (outstanding.getAndIncrement() == 0) {
      lastProgressNanos = nowNanos;
    }
  }

  /** The producer refused the record handed in {@link #sending}: it was never accepted. */
  void refused(String reason) {
    outstanding.decrementAndGet();
    failed(reason);
  }

  /** Kafka acknowledged a record. Producer I/O thread. */
  void acknowledged(long nowNanos) {
    lastProgressNanos = nowNanos;
    acks.incrementAndGet();
    outstanding.decrementAndGet();
  }

  /** A record failed in a way that says nothing about Kafka (e.g. too large). */
  void rejected(long nowNanos) {
    lastProgressNanos = nowNanos;
    outstanding.decrementAndGet();
  }

  /** A record failed after the producer accepted it. Producer I/O thread. */
  void failedAfterSending(String reason) {
    outstanding.decrementAndGet();
    failed(reason);
  }

  /** Kafka cannot even be asked, e.g. the producer could not be created. Publisher thread. */
  void failed(String reason) {
    lastFailure = reason;
    failures.incrementAndGet();
  }

  /** Decides the state from what happened since the last call. Publisher thread. */
  boolean refresh(long nowNanos) {
    long failureCount = failures.get();
    boolean newFailure = failureCount != failuresSeen;
    failuresSeen = failureCount;
    if (healthy) {
      if (newFailure) {
        becomeUnhealthy("a send failed: " + lastFailure);
      } else if (outstanding.get() > 0 && nowNanos - lastProgressNanos > unhealthyAfterNanos) {
        becomeUnhealthy(
            outstanding.get()
                + " records unacknowledged for over "
                + unhealthyAfterNanos / 1_000_000
                + " ms");
      }
    } else if (newFailure) {
      // Only an acknowledgement newer than the latest failure shows that Kafka is back.
      acksWhenUnhealthy = acks.get();
    } else if (acks.get() != acksWhenUnhealthy) {
      healthy = true;
      LOG.info("Kafka acknowledges usage events again; sending from the spool first");
    }
    return healthy;
  }

  private void becomeUnhealthy(String why) {
    healthy = false;
    acksWhenUnhealthy = acks.get();
    LOG.warn("Kafka is not taking usage events ({}); spooling them to disk", why);
  }

  boolean healthy() {
    return healthy;
  }

  int outstanding() {
    return outstanding.get();
  }
}
