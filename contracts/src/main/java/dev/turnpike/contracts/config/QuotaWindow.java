package dev.turnpike.contracts.config;

import java.time.Instant;
import java.util.Objects;

/**
 * One quota period: requests at or after {@code start} and before {@code end} count together. The
 * gateway's local count and metering's authoritative count both key their counts by it, as {@link
 * QuotaCalendar} aligns it.
 *
 * @param start inclusive
 * @param end exclusive
 */
public record QuotaWindow(Instant start, Instant end) {

  public QuotaWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException(
          "Quota window start " + start + " must be before its end " + end);
    }
  }

  public boolean contains(Instant instant) {
    return !instant.isBefore(start) && instant.isBefore(end);
  }
}
