package dev.turnpike.metering.stripe;

import dev.turnpike.metering.rating.BillableHours;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports usage to Stripe Billing Meters, pre-aggregated per subscription per hour.
 *
 * <p>A round first records, for every settled hour (ended at least {@code settle} ago, within
 * {@code lookback}), the billable requests not yet reported as a {@link MeterEvent} with a
 * deterministic identifier; then sends every recorded, unsent event with its identifier as the
 * idempotency key and stamps it. Since an event is recorded before it is sent and re-sent with the
 * same identifier until stamped, a crash, a retry or a second round never bills an hour twice;
 * usage that arrives late for an hour already reported goes out as a correction event ({@code _2},
 * {@code _3} ...) carrying only the difference.
 *
 * <p>A subscription reports the usage hours {@link BillableHours} gives it, the same hours its
 * invoice bills.
 */
public final class MeterEventSync {
  private static final Logger LOG = LoggerFactory.getLogger(MeterEventSync.class);
  private static final int SEND_BATCH = 500;

  /** What a round did. */
  public record Result(int recorded, int sent) {}

  private final MeterEventStore store;
  private final StripeApi stripe;
  private final Clock clock;
  private final Duration settle;
  private final Duration lookback;

  public MeterEventSync(
      MeterEventStore store, StripeApi stripe, Clock clock, Duration settle, Duration lookback) {
    this.store = store;
    this.stripe = stripe;
    this.clock = clock;
    this.settle = settle;
    this.lookback = lookback;
  }

  public Result run() {
    Instant now = clock.instant();
    Instant to = now.minus(settle).truncatedTo(ChronoUnit.HOURS);
    Instant from = now.minus(lookback).truncatedTo(ChronoUnit.HOURS);
    int recorded = 0;
    for (MeteredSubscription s : store.meteredSince(from)) {
      recorded += recordHours(s, from, to);
    }
    int sent = sendUnsent();
    if (recorded > 0 || sent > 0) {
      LOG.info("Meter events: {} recorded, {} sent to Stripe", recorded, sent);
    }
    return new Result(recorded, sent);
  }

  private int recordHours(MeteredSubscription s, Instant from, Instant to) {
    Instant start = later(from, s.firstUsageHour());
    Instant end = s.endedAt() == null ? to : earlier(to, BillableHours.end(s.endedAt()));
    if (!start.isBefore(end)) {
      return 0;
    }
    Map<Instant, Long> usage =
        store.billableByHour(s.tenantId(), s.appId(), s.planId(), start, end);
    Map<Instant, MeterEventStore.Reported> reported =
        store.reportedByHour(s.subscriptionId(), start, end);
    List<MeterEvent> events = new ArrayList<>();
    usage.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            hour -> {
              MeterEventStore.Reported before =
                  reported.getOrDefault(hour.getKey(), new MeterEventStore.Reported(0, 0));
              long delta = hour.getValue() - before.quantity();
              if (delta > 0) {
                events.add(
                    new MeterEvent(
                        MeterEvent.identifier(s.subscriptionId(), hour.getKey(), before.events()),
                        s.tenantId(),
                        s.subscriptionId(),
                        hour.getKey(),
                        delta,
                        PlanPrices.meterEventName(s.planId()),
                        s.customerId()));
              }
            });
    store.record(events);
    return events.size();
  }

  private int sendUnsent() {
    int sent = 0;
    for (MeterEvent e : store.unsent(SEND_BATCH)) {
      try {
        stripe.createMeterEvent(
            e.identifier(),
            e.eventName(),
            e.identifier(),
            e.customerId(),
            e.quantity(),
            e.hourStart());
      } catch (StripeFailure failure) {
        // Left unsent: the next round sends it again with the same identifier and key.
        LOG.warn("Meter event {} not sent yet: {}", e.identifier(), failure.getMessage());
        boolean refused = failure.status() >= 400 && failure.status() < 500;
        if (refused) {
          continue; // this event's own problem; the others may go
        }
        break; // Stripe is unwell: stop the round, the back-off was spent already
      }
      store.markSent(e.identifier(), clock.instant());
      sent++;
    }
    return sent;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
