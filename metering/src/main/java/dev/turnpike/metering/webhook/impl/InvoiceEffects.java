package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.logging.LogContext;
import dev.turnpike.metering.webhook.InvoiceRef;
import dev.turnpike.metering.webhook.SubscriptionRef;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a paid subscription's later events do: invoices suspend and reinstate it in the order Stripe
 * created them ({@link InvoiceOrder}), only while it is live; the deletion of the Stripe
 * subscription that pays for it ends it. An ended subscription stays ended.
 */
final class InvoiceEffects {
  private static final Logger LOG = LoggerFactory.getLogger(InvoiceEffects.class);

  private InvoiceEffects() {}

  /** A line about {@code sub} carries its tenant in the MDC. */
  private static LogContext about(SubscriptionRows.Locked sub) {
    return LogContext.EMPTY.with(LogContext.TENANT, String.valueOf(sub.tenantId()));
  }

  static void failed(DSLContext tx, InvoiceRef ref, String eventId, OffsetDateTime now) {
    Optional<SubscriptionRows.Locked> found = lock(tx, ref.subscription(), "payment failed");
    if (found.isEmpty()) {
      return;
    }
    SubscriptionRows.Locked sub = found.get();
    if (!InvoiceOrder.failed(tx, sub, ref.invoiceId(), created(ref, now))) {
      about(sub)
          .run(
              () ->
                  LOG.info(
                      "Invoice {} of subscription {} failed, but it or a newer one is paid; ignored",
                      ref.invoiceId(),
                      sub.id()));
      return;
    }
    if (sub.status() != SubscriptionStatus.ACTIVE) {
      // Suspended already, or not live (a checkout's first invoice, a cancelled subscription):
      // nothing to take away.
      return;
    }
    SubscriptionRows.setStatus(tx, sub, SubscriptionStatus.SUSPENDED, now);
    AppStanding.record(tx, sub.tenantId(), sub.appId(), now);
    SubscriptionRows.audit(tx, sub, "subscription.suspend", eventId, now);
    about(sub)
        .run(
            () ->
                LOG.info(
                    "Invoice {} failed: suspended subscription {}; app {} is suspended",
                    ref.invoiceId(),
                    sub.id(),
                    sub.appId()));
  }

  static void paid(DSLContext tx, InvoiceRef ref, String eventId, OffsetDateTime now) {
    Optional<SubscriptionRows.Locked> found = lock(tx, ref.subscription(), "invoice paid");
    if (found.isEmpty()) {
      return;
    }
    SubscriptionRows.Locked sub = found.get();
    boolean settled = InvoiceOrder.paid(tx, sub, ref.invoiceId(), created(ref, now), now);
    if (sub.status() != SubscriptionStatus.SUSPENDED) {
      return; // a routine renewal, or not live: nothing to give back
    }
    if (!settled) {
      about(sub)
          .run(
              () ->
                  LOG.info(
                      "Invoice {} of subscription {} paid, but a newer one is unpaid; still suspended",
                      ref.invoiceId(),
                      sub.id()));
      return;
    }
    SubscriptionRows.setStatus(tx, sub, SubscriptionStatus.ACTIVE, now);
    AppStanding.record(tx, sub.tenantId(), sub.appId(), now);
    SubscriptionRows.audit(tx, sub, "subscription.reinstate", eventId, now);
  }

  /**
   * The Stripe subscription was deleted (cancelled at the end of its retries, or by hand): ours
   * ends if that Stripe subscription is the one that pays for it. Another one (say, from a checkout
   * abandoned before a later one was paid) says nothing about ours.
   */
  static void ended(DSLContext tx, SubscriptionRef ref, String eventId, OffsetDateTime now) {
    Optional<SubscriptionRows.Locked> found = lock(tx, ref, "Stripe subscription deleted");
    if (found.isEmpty()) {
      return;
    }
    SubscriptionRows.Locked sub = found.get();
    boolean paysForIt =
        SubscriptionRows.linked(tx, sub, "subscription")
            .map(linked -> Objects.equals(linked, ref.stripeSubscriptionId()))
            .orElse(false);
    boolean live =
        sub.status() == SubscriptionStatus.ACTIVE || sub.status() == SubscriptionStatus.SUSPENDED;
    if (!paysForIt || !live) {
      about(sub)
          .run(
              () ->
                  LOG.info(
                      "Stripe subscription {} deleted; subscription {} ({}) is not paid by it; ignored",
                      ref.stripeSubscriptionId(),
                      sub.id(),
                      sub.status().wire()));
      return;
    }
    tx.update(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.STATUS, SubscriptionStatus.CANCELLED.wire())
        .set(SUBSCRIPTIONS.ENDED_AT, now)
        .set(SUBSCRIPTIONS.UPDATED_AT, now)
        .where(SUBSCRIPTIONS.TENANT_ID.eq(sub.tenantId()), SUBSCRIPTIONS.ID.eq(sub.id()))
        .execute();
    // Its plan leaves the keys; if its unpaid invoice had suspended them, they serve the app's
    // other plans again, unless another of its subscriptions is suspended too.
    AppStanding.record(tx, sub.tenantId(), sub.appId(), now);
    SubscriptionRows.audit(tx, sub, "subscription.end", eventId, now);
  }

  private static Optional<SubscriptionRows.Locked> lock(
      DSLContext tx, SubscriptionRef ref, String what) {
    Optional<SubscriptionRows.Locked> sub = SubscriptionRows.lock(tx, ref);
    if (sub.isEmpty()) {
      LOG.warn("{} for a subscription Turnpike does not know ({}); ignored", what, ref);
    }
    return sub;
  }

  /** When Stripe created the invoice; the time it reached us when the event does not say. */
  private static OffsetDateTime created(InvoiceRef ref, OffsetDateTime now) {
    return ref.created() == null ? now : ref.created().atOffset(ZoneOffset.UTC);
  }
}
