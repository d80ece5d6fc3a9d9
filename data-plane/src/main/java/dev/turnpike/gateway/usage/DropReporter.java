package dev.turnpike.gateway.usage;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs lost usage events at ERROR loudly but at most once per interval, with the count lost since
 * the last line, so a full spool under heavy traffic cannot flood the log. Used by one thread.
 */
final class DropReporter {
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final Supplier<String> what;
  private final LongSupplier nanoClock;
  private long unreported;
  private long lastReportNanos;
  private boolean reportedOnce;

  /**
   * @param what completes "dropped N usage events: ...", saying why and what it means
   */
  DropReporter(Logger log, Supplier<String> what, LongSupplier nanoClock) {
    this.log = log;
    this.what = what;
    this.nanoClock = nanoClock;
  }

  void dropped(long count) {
    if (count <= 0) {
      return;
    }
    unreported += count;
    long now = nanoClock.getAsLong();
    if (!reportedOnce || now - lastReportNanos >= INTERVAL_NANOS) {
      report(now);
    }
  }

  /** Logs what is unreported now, e.g. on close. */
  void flush() {
    if (unreported > 0) {
      report(nanoClock.getAsLong());
    }
  }

  private void report(long now) {
    log.error("dropped {} usage events: {}", unreported, what.get());
    unreported = 0;
    lastReportNanos = now;
    reportedOnce = true;
  }
}
