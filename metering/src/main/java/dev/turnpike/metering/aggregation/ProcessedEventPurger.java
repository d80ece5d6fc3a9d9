package dev.turnpike.metering.aggregation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the dedup record to its window: forgets counted event ids older than the window in chunks,
 * so one purge never holds a long transaction against the consumer's inserts.
 */
public final class ProcessedEventPurger implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessedEventPurger.class);
  private static final int CHUNK = 50_000;

  private final AggregationStore store;
  private final Duration window;
  private final Clock clock;

  public ProcessedEventPurger(AggregationStore store, Duration window, Clock clock) {
    this.store = store;
    this.window = window;
    this.clock = clock;
  }

  /** One purge round; failures are logged and the next round tries again. */
  @Override
  public void run() {
    Instant cutoff = clock.instant().minus(window);
    long forgotten = 0;
    try {
      int chunk;
      do {
        chunk = store.forgetEventsBefore(cutoff, CHUNK);
        forgotten += chunk;
      } while (chunk == CHUNK && !Thread.currentThread().isInterrupted());
      if (forgotten > 0) {
        LOG.info("forgot {} event ids counted before {}", forgotten, cutoff);
      }
    } catch (RuntimeException e) {
      LOG.warn("purging old event ids failed (retried next round): {}", e.getMessage());
    }
  }
}
