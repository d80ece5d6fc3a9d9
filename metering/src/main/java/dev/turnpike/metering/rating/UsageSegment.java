package dev.turnpike.metering.rating;

import java.time.Instant;

/**
 * A stretch of a billing period on one plan and the billable requests made in it. A period with a
 * plan change has two (or more) segments.
 *
 * @param from inclusive, within the period
 * @param to exclusive, within the period and after {@code from}
 * @param messages WebSocket messages made in it (priced per million)
 * @param connectionMinutes WebSocket connection minutes in it (priced per million)
 */
public record UsageSegment(
    String planName,
    PlanPricing pricing,
    Instant from,
    Instant to,
    long billableRequests,
    long messages,
    long connectionMinutes) {
  /** A segment of requests alone (an HTTP API's). */
  public UsageSegment(
      String planName, PlanPricing pricing, Instant from, Instant to, long billableRequests) {
    this(planName, pricing, from, to, billableRequests, 0, 0);
  }

  public UsageSegment {
    if (messages < 0 || connectionMinutes < 0) {
      throw new IllegalArgumentException("messages and connection minutes must not be negative");
    }
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("a segment must end after it starts");
    }
    if (billableRequests < 0) {
      throw new IllegalArgumentException("requests must not be negative");
    }
  }
}
