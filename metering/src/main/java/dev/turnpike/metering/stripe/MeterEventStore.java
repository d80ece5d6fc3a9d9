package dev.turnpike.metering.stripe;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What meter reporting reads and records ({@code stripe_meter_events}). */
public interface MeterEventStore {
  /**
   * Subscriptions paid through Stripe on a usage-priced plan, live at some point since {@code
   * since}.
   */
  List<MeteredSubscription> meteredSince(Instant since);

  /** Billable requests per usage hour starting in {@code [from, to)}, from hourly aggregates. */
  Map<Instant, Long> billableByHour(
      UUID tenantId, UUID appId, UUID planId, Instant from, Instant to);

  /** Already recorded events per hour starting in {@code [from, to)} (sent or not). */
  Map<Instant, Reported> reportedByHour(UUID subscriptionId, Instant from, Instant to);

  /** Quantity recorded for an hour and in how many events. */
  record Reported(long quantity, int events) {}

  /** Records events to send, in one transaction; an identifier already recorded is skipped. */
  void record(List<MeterEvent> events);

  /** Recorded but not yet confirmed by Stripe, oldest first. */
  List<MeterEvent> unsent(int limit);

  void markSent(String identifier, Instant at);
}
