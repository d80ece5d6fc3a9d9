package dev.turnpike.metering.rating;

import java.time.Instant;

/**
 * A stretch of a billing period on one plan and the billable requests made in it. A period with a
 * plan change has two (or more) segments.
 *
 * @param from inclusive, within the period
 * @param to exclusive, within the period and after {@code from}
 */
public record UsageSegment(
    String planName, PlanPricing pricing, Instant from, Instant to, long billableRequests) {
  public UsageSegment {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("a segment must end after it starts");
    }
    if (billableRequests < 0) {
      throw new IllegalArgumentException("requests must not be negative");
    }
  }
}
