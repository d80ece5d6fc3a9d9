package dev.turnpike.metering.quota;

import dev.turnpike.contracts.config.QuotaCalendar;
import dev.turnpike.contracts.config.QuotaPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Quota period arithmetic, calendar-aligned in UTC exactly as the gateway aligns its local count
 * ({@code dev.turnpike.gateway.quota.QuotaPeriod}): a day from 00:00, a week from Monday 00:00 (ISO
 * 8601), a month from the 1st at 00:00. Both sides must agree, or a node would take metering's
 * count for a window it does not know.
 */
public final class QuotaPeriods {
  private QuotaPeriods() {}

  /** The window of {@code period} that holds {@code instant}. */
  public static QuotaWindow windowContaining(QuotaPeriod period, Instant instant) {
    LocalDate first = QuotaCalendar.firstDay(period, LocalDate.ofInstant(instant, ZoneOffset.UTC));
    return new QuotaWindow(startOf(first), startOf(QuotaCalendar.nextFirstDay(period, first)));
  }

  /**
   * The first period boundary strictly after {@code instant}: the next UTC midnight, since every
   * period starts at one and a midnight is where any of them can roll over.
   */
  public static Instant nextBoundaryAfter(Instant instant) {
    return startOf(LocalDate.ofInstant(instant, ZoneOffset.UTC).plusDays(1));
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
