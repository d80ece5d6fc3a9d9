package dev.turnpike.metering.invoice.impl;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Splits the usage hours of {@code [from, to)} into whole UTC days (read from daily aggregates) and
 * the hours around them (read from hourly ones), so a long window reads few rows. An hour belongs
 * to the window when its start lies in it.
 */
record UsageHours(Instant firstHour, Instant endHour, Instant firstDay, Instant endDay) {
  static UsageHours of(Instant from, Instant to) {
    Instant firstHour = ceil(from, ChronoUnit.HOURS);
    Instant endHour = ceil(to, ChronoUnit.HOURS);
    Instant firstDay = ceil(firstHour, ChronoUnit.DAYS);
    Instant endDay = endHour.truncatedTo(ChronoUnit.DAYS);
    if (!firstDay.isBefore(endDay)) {
      // No whole day inside: everything comes from hourly rows.
      return new UsageHours(firstHour, endHour, endHour, endHour);
    }
    return new UsageHours(firstHour, endHour, firstDay, endDay);
  }

  private static Instant ceil(Instant at, ChronoUnit unit) {
    Instant floor = at.truncatedTo(unit);
    return floor.equals(at) ? at : floor.plus(1, unit);
  }
}
