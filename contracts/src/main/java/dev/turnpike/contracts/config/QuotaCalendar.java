package dev.turnpike.contracts.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * Where quota periods begin, on the UTC calendar: a day at 00:00, a week on Monday (ISO 8601), a
 * month on the 1st. Metering's authoritative count, the gateway's local count and the usage the
 * management API reports must agree on these boundaries, or a node would take metering's count for
 * a window it does not know. AWS does not document its alignment; UTC calendar periods are what API
 * owners can state on an invoice and what GetUsage's per-day values line up with.
 */
public final class QuotaCalendar {
  private QuotaCalendar() {}

  /** The first day of the period of {@code period} holding {@code date}. */
  public static LocalDate firstDay(QuotaPeriod period, LocalDate date) {
    return switch (period) {
      case DAY -> date;
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
    };
  }

  /** The first day of the period after the one starting on {@code firstDay}. */
  public static LocalDate nextFirstDay(QuotaPeriod period, LocalDate firstDay) {
    return switch (period) {
      case DAY -> firstDay.plusDays(1);
      case WEEK -> firstDay.plusWeeks(1);
      case MONTH -> firstDay.plusMonths(1);
    };
  }

  /** The window of {@code period} that holds {@code instant}. */
  public static QuotaWindow windowContaining(QuotaPeriod period, Instant instant) {
    LocalDate first = firstDay(period, LocalDate.ofInstant(instant, ZoneOffset.UTC));
    return new QuotaWindow(startOf(first), startOf(nextFirstDay(period, first)));
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
