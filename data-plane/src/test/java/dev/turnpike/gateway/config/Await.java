package dev.turnpike.gateway.config;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling, so tests wait for what they expect instead of sleeping a guessed time. */
final class Await {
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /** Returns as soon as {@code condition} holds; fails the test after {@code timeout}. */
  static void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + timeout + " waiting until " + what);
      }
      pause();
    }
  }

  /**
   * Checks {@code condition} throughout {@code period}; fails the test the first time it is false.
   */
  static void holdsFor(Duration period, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + period.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        fail("Expected " + what + " to hold for " + period);
      }
      pause();
    } while (System.nanoTime() - end < 0);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
