package dev.turnpike.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for every module's tests: wait for what is expected instead of sleeping a guessed
 * time, and fail with a message saying what never happened.
 */
public final class Await {
  private static final long POLL_MILLIS = 5;

  private Await() {}

  /**
   * Returns the milliseconds it took {@code condition} to hold.
   *
   * @throws AssertionError if it still fails after {@code timeout}
   */
  public static long until(Duration timeout, BooleanSupplier condition, String what) {
    return until(timeout, condition, () -> what);
  }

  /** As {@link #until(Duration, BooleanSupplier, String)}, with a message built on failure. */
  public static long until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what.get());
      }
      pause();
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Checks {@code condition} throughout {@code period}.
   *
   * @throws AssertionError the first time it is false
   */
  public static void holdsFor(Duration period, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + period.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("expected " + what + " to hold for " + period);
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
