package dev.turnpike.metering.invoice;

import dev.turnpike.metering.rating.BillableHours;
import dev.turnpike.metering.rating.BillableUsage;
import dev.turnpike.metering.rating.BillingPeriod;
import dev.turnpike.metering.rating.RatedInvoice;
import dev.turnpike.metering.rating.Rater;
import dev.turnpike.metering.rating.UsageSegment;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a billing period: rates every subscription live in it into an invoice. Idempotent: an
 * invoice is unique per subscription and period start, so running the close again (after a crash,
 * on a second instance, by hand) writes nothing new and changes no invoice already written.
 *
 * <p>A subscription live for part of the period (it started, was cancelled, or replaced by a
 * subscription to another plan: a plan change) is rated for that part only, prorated as {@link
 * Rater} documents.
 */
public final class PeriodClose {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodClose.class);

  /**
   * How many invoices a close wrote, and how many were written meanwhile by another close (a
   * concurrent run on another instance).
   */
  public record Result(int invoiced, int alreadyInvoiced) {}

  private final InvoiceStore store;

  public PeriodClose(InvoiceStore store) {
    this.store = store;
  }

  public Result close(BillingPeriod period) {
    int invoiced = 0;
    int already = 0;
    for (BilledSubscription s : store.liveIn(period)) {
      Instant from = later(period.start(), s.startedAt());
      Instant to = s.endedAt() == null ? period.end() : earlier(period.end(), s.endedAt());
      if (!to.isAfter(from)) {
        continue;
      }
      // Proration uses the exact times; usage comes in whole hours (BillableHours).
      Instant usageFrom = later(period.start(), s.firstUsageHour());
      Instant usageTo =
          s.endedAt() == null
              ? period.end()
              : earlier(period.end(), BillableHours.end(s.endedAt()));
      BillableUsage usage =
          store.billableUsage(s.tenantId(), s.appId(), s.planId(), usageFrom, usageTo);
      RatedInvoice rated =
          Rater.rate(
              period,
              List.of(
                  new UsageSegment(
                      s.planName(),
                      s.pricing(),
                      from,
                      to,
                      usage.requests(),
                      usage.messages(),
                      usage.connectionMinutes())));
      if (store.insertIfAbsent(s, period, rated)) {
        invoiced++;
      } else {
        already++;
      }
    }
    if (invoiced == 0 && already == 0) {
      return new Result(0, 0);
    }
    LOG.info(
        "Closed billing period {} to {}: {} invoices written, {} written meanwhile elsewhere",
        period.start(),
        period.end(),
        invoiced,
        already);
    return new Result(invoiced, already);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
