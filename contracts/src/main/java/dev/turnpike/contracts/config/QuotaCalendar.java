package dev.turnpike.contracts.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * Where quota periods begin, on the UTC calendar: a day at 00:00, a week on Monday (ISO 8601), a
 * month on the 1st. Metering's authoritative count, the gateway's local count and the usage the
 * management API reports must agree on these boundaries.
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
}
