package dev.turnpike.metering.rating;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A billing period: a calendar month in UTC, the same month the usage aggregates and monthly quotas
 * use. Start inclusive, end exclusive.
 */
public record BillingPeriod(Instant start, Instant end) {
  public BillingPeriod {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("a period must end after it starts");
    }
  }

  public static BillingPeriod month(YearMonth month) {
    return new BillingPeriod(
        month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
        month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  public static BillingPeriod containing(Instant at) {
    return month(YearMonth.from(at.atZone(ZoneOffset.UTC)));
  }

  public BillingPeriod previous() {
    return month(YearMonth.from(start.atZone(ZoneOffset.UTC)).minusMonths(1));
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  public boolean contains(Instant at) {
    return !at.isBefore(start) && at.isBefore(end);
  }
}
