package dev.turnpike.gateway.quota;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The period a usage-plan quota counts over. Periods are calendar-aligned in UTC: a day starts at
 * 00:00, a week on Monday 00:00 (ISO 8601), a month on the 1st at 00:00. AWS does not document its
 * alignment; UTC calendar periods are what API owners can state on an invoice and what GetUsage's
 * per-day values line up with.
 */
public enum QuotaPeriod {
  DAY {
    @Override
    LocalDate firstDay(LocalDate date) {
      return date;
    }

    @Override
    LocalDate nextFirstDay(LocalDate firstDay) {
      return firstDay.plusDays(1);
    }
  },
  WEEK {
    @Override
    LocalDate firstDay(LocalDate date) {
      return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    @Override
    LocalDate nextFirstDay(LocalDate firstDay) {
      return firstDay.plusWeeks(1);
    }
  },
  MONTH {
    @Override
    LocalDate firstDay(LocalDate date) {
      return date.withDayOfMonth(1);
    }

    @Override
    LocalDate nextFirstDay(LocalDate firstDay) {
      return firstDay.plusMonths(1);
    }
  };

  /** The window of this period that contains {@code instant}. */
  public QuotaWindow windowContaining(Instant instant) {
    LocalDate first = firstDay(LocalDate.ofInstant(instant, ZoneOffset.UTC));
    return new QuotaWindow(startOf(first), startOf(nextFirstDay(first)));
  }

  abstract LocalDate firstDay(LocalDate date);

  abstract LocalDate nextFirstDay(LocalDate firstDay);

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
