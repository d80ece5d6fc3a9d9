package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.metering.webhook.CheckoutRef;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Checkout Session's events do. Payment is the only way in, and only for a subscription that
 * waits for payment: one still waiting for the owner's approval is never activated, whatever Stripe
 * says. A session's unpaid or failed outcome counts only while it is the subscription's latest
 * checkout (a session abandoned for a newer one says nothing about it), and only before the
 * subscription is paid, so a late event never undoes a newer state.
 */
final class CheckoutEffects {
  private static final Logger LOG = LoggerFactory.getLogger(CheckoutEffects.class);

  private CheckoutEffects() {}

  /** Paid (at once, or a delayed payment that settled): active, with the plan on the keys. */
  static void paid(DSLContext tx, CheckoutRef ref, String eventId, OffsetDateTime now) {
    Optional<SubscriptionRows.Locked> found = lock(tx, ref);
    if (found.isEmpty()) {
      return;
    }
    SubscriptionRows.Locked sub = found.get();
    SubscriptionStatus status = sub.status();
    if (status == SubscriptionStatus.PENDING_APPROVAL) {
      LOG.warn(
          "Checkout {} paid for subscription {}, which the owner has not approved; left pending",
          ref.checkoutSessionId(),
          sub.id());
      SubscriptionRows.audit(tx, sub, "subscription.payment_before_approval", eventId, now);
      return;
    }
    if (!status.payable() && status != SubscriptionStatus.PAYMENT_PROCESSING) {
      LOG.info(
          "Checkout {} paid for subscription {}, already {}",
          ref.checkoutSessionId(),
          sub.id(),
          status.wire());
      return;
    }
    tx.update(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.STATUS, SubscriptionStatus.ACTIVE.wire())
        .set(SUBSCRIPTIONS.STARTED_AT, DSL.coalesce(SUBSCRIPTIONS.STARTED_AT, now))
        .set(
            SUBSCRIPTIONS.CURRENT_PERIOD_START,
            DSL.coalesce(SUBSCRIPTIONS.CURRENT_PERIOD_START, now))
        .set(SUBSCRIPTIONS.UPDATED_AT, now)
        .where(SUBSCRIPTIONS.TENANT_ID.eq(sub.tenantId()), SUBSCRIPTIONS.ID.eq(sub.id()))
        .execute();
    SubscriptionRows.link(tx, sub, "subscription", ref.stripeSubscriptionId());
    SubscriptionRows.link(tx, sub, "checkout_session", ref.checkoutSessionId());
    AppStanding.record(tx, sub.tenantId(), sub.appId(), now);
    SubscriptionRows.audit(tx, sub, "subscription.activate", eventId, now);
  }

  /** Completed, but the payment settles later: no access, and no second checkout meanwhile. */
  static void unpaid(DSLContext tx, CheckoutRef ref, String eventId, OffsetDateTime now) {
    Optional<SubscriptionRows.Locked> found = lock(tx, ref);
    if (found.isEmpty()) {
      return;
    }
    SubscriptionRows.Locked sub = found.get();
    // Not from payment_failed: a failure may overtake its own completion; a new checkout
    // re-opens a failed subscription before its session can complete.
    boolean waiting =
        sub.status() == SubscriptionStatus.APPROVED
            || sub.status() == SubscriptionStatus.PENDING_PAYMENT;
    if (!waiting || !latestCheckout(tx, sub, ref)) {
      return;
    }
    SubscriptionRows.setStatus(tx, sub, SubscriptionStatus.PAYMENT_PROCESSING, now);
    SubscriptionRows.link(tx, sub, "subscription", ref.stripeSubscriptionId());
    SubscriptionRows.audit(tx, sub, "subscription.payment_processing", eventId, now);
  }

  /** The delayed payment failed: still unpaid, the developer is told and may pay again. */
  static void failed(DSLContext tx, CheckoutRef ref, String eventId, OffsetDateTime now) {
    Optional<SubscriptionRows.Locked> found = lock(tx, ref);
    if (found.isEmpty()) {
      return;
    }
    SubscriptionRows.Locked sub = found.get();
    boolean unpaid =
        sub.status() == SubscriptionStatus.PAYMENT_PROCESSING
            || sub.status() == SubscriptionStatus.APPROVED
            || sub.status() == SubscriptionStatus.PENDING_PAYMENT;
    if (!unpaid || !latestCheckout(tx, sub, ref)) {
      return;
    }
    SubscriptionRows.setStatus(tx, sub, SubscriptionStatus.PAYMENT_FAILED, now);
    SubscriptionRows.audit(tx, sub, "subscription.payment_failed", eventId, now);
    LOG.info(
        "Checkout {} of subscription {}: the payment failed", ref.checkoutSessionId(), sub.id());
  }

  private static Optional<SubscriptionRows.Locked> lock(DSLContext tx, CheckoutRef ref) {
    Optional<SubscriptionRows.Locked> sub =
        SubscriptionRows.lock(tx, ref.tenantId(), ref.subscriptionId());
    if (sub.isEmpty()) {
      LOG.warn("Checkout event for unknown subscription {}; ignored", ref.subscriptionId());
    }
    return sub;
  }

  /** Whether the event's session is the one billing last opened for the subscription. */
  private static boolean latestCheckout(
      DSLContext tx, SubscriptionRows.Locked sub, CheckoutRef ref) {
    return ref.checkoutSessionId() != null
        && SubscriptionRows.linked(tx, sub, "checkout_session")
            .map(ref.checkoutSessionId()::equals)
            .orElse(false);
  }
}
