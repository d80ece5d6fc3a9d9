package dev.turnpike.metering.quota;

import java.time.Instant;
import java.util.Objects;

/**
 * One quota period.
 *
 * @param start inclusive
 * @param end exclusive
 */
public record QuotaWindow(Instant start, Instant end) {
  public QuotaWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("window start " + start + " must be before " + end);
    }
  }

  public boolean contains(Instant instant) {
    return !instant.isBefore(start) && instant.isBefore(end);
  }
}
