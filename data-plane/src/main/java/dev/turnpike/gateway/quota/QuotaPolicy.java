package dev.turnpike.gateway.quota;

import dev.turnpike.contracts.config.QuotaCalendar;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import java.time.Instant;
import java.util.Objects;

/**
 * A usage plan's quota, with AWS's meaning of {@code offset}: the number of requests subtracted
 * from the limit in the initial period only (AWS QuotaSettings: "The number of requests subtracted
 * from the given limit in the initial time period"). It is not a time shift of the periods; those
 * are always aligned as {@link QuotaCalendar} says.
 *
 * <p>AWS does not say which period is the initial one. Here it is the period containing {@code
 * effectiveFrom}, the instant the quota took effect (e.g. when the plan was created), so an owner
 * can, for example, pro-rate a plan created mid-month.
 */
public final class QuotaPolicy {

  private final long limit;
  private final long offset;
  private final QuotaPeriod period;
  private final QuotaWindow initialWindow;
  private final long initialWindowStartMillis;

  /**
   * @param limit requests allowed per period, at least 0
   * @param offset requests subtracted from the limit in the initial period, from 0 to {@code limit}
   * @param period the period the limit applies to
   * @param effectiveFrom when the quota took effect, which fixes the initial period
   */
  public QuotaPolicy(long limit, long offset, QuotaPeriod period, Instant effectiveFrom) {
    if (limit < 0) {
      throw new IllegalArgumentException("Quota limit must be >= 0, got " + limit);
    }
    if (offset < 0 || offset > limit) {
      throw new IllegalArgumentException(
          "Quota offset must be between 0 and the limit " + limit + ", got " + offset);
    }
    this.limit = limit;
    this.offset = offset;
    this.period = Objects.requireNonNull(period, "period");
    this.initialWindow =
        QuotaCalendar.windowContaining(
            period, Objects.requireNonNull(effectiveFrom, "effectiveFrom"));
    this.initialWindowStartMillis = initialWindow.start().toEpochMilli();
  }

  /** The requests remaining of {@code limit} after {@code used}, never negative. */
  public static long remaining(long limit, long used) {
    return Math.max(0, limit - used);
  }

  /** The limit that applies within {@code window}: reduced by the offset in the initial period. */
  public long limitIn(QuotaWindow window) {
    return limitForWindowStartingAt(window.start().toEpochMilli());
  }

  /** The requests remaining in {@code window} after {@code used}, never negative. */
  public long remaining(QuotaWindow window, long used) {
    return remaining(limitIn(window), used);
  }

  /** The window of this policy's period that contains {@code instant}. */
  public QuotaWindow windowContaining(Instant instant) {
    return QuotaCalendar.windowContaining(period, instant);
  }

  public long limit() {
    return limit;
  }

  public long offset() {
    return offset;
  }

  public QuotaPeriod period() {
    return period;
  }

  public QuotaWindow initialWindow() {
    return initialWindow;
  }

  /** The hot-path form of {@link #limitIn}, comparing epoch millis instead of instants. */
  long limitForWindowStartingAt(long windowStartMillis) {
    return windowStartMillis == initialWindowStartMillis ? limit - offset : limit;
  }
}
