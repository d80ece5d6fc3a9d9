package dev.turnpike.metering.aggregation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** The buckets usage is rolled up into, all aligned to UTC as quota periods are. */
public enum Granularity {
  MINUTE("minute"),
  HOUR("hour"),
  DAY("day"),
  MONTH("month");

  private final String column;

  Granularity(String column) {
    this.column = column;
  }

  /** The value stored in {@code usage_aggregates.granularity}. */
  public String column() {
    return column;
  }

  /** The start of the bucket holding {@code at}. */
  public Instant bucketStart(Instant at) {
    return switch (this) {
      case MINUTE -> at.truncatedTo(ChronoUnit.MINUTES);
      case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
      case DAY -> at.truncatedTo(ChronoUnit.DAYS);
      case MONTH ->
          ZonedDateTime.ofInstant(at, ZoneOffset.UTC)
              .withDayOfMonth(1)
              .truncatedTo(ChronoUnit.DAYS)
              .toInstant();
    };
  }
}
