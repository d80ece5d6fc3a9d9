package dev.turnpike.metering.invoice;

import dev.turnpike.metering.rating.BillableUsage;
import dev.turnpike.metering.rating.BillingPeriod;
import dev.turnpike.metering.rating.RatedInvoice;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the period close reads and writes; cross-tenant (metering runs as metering's role). */
public interface InvoiceStore {
  /**
   * Subscriptions that were live at some moment of the period and have no invoice for it yet, in a
   * stable order.
   */
  List<BilledSubscription> liveIn(BillingPeriod period);

  /**
   * Billable usage of an app on a plan whose usage hour starts in {@code [from, to)}: calls
   * answered with neither a 4xx nor a 5xx (so gateway rejections such as throttling are never
   * billed), WebSocket messages answered below 400, and WebSocket connection time.
   */
  BillableUsage billableUsage(UUID tenantId, UUID appId, UUID planId, Instant from, Instant to);

  /**
   * Writes the invoice and its lines in one transaction unless the subscription already has an
   * invoice for the period.
   *
   * @return true when written, false when the period was already invoiced (nothing changes)
   */
  boolean insertIfAbsent(BilledSubscription subscription, BillingPeriod period, RatedInvoice rated);
}
