package dev.turnpike.metering.webhook;

import java.util.UUID;

/**
 * The state changes Stripe's webhooks cause. Each call is one transaction that also records the
 * event id, so a redelivered event changes nothing.
 *
 * <p>Every method returns false when the event was already handled.
 */
public interface PaymentLedger {
  /** Checkout completed: the subscription becomes active and its plan reaches the app's keys. */
  boolean activate(
      String eventId,
      String type,
      UUID tenantId,
      UUID subscriptionId,
      String stripeSubscriptionId,
      String checkoutSessionId);

  /** Payment failed: the subscription is suspended and so is every enabled key of its app. */
  boolean suspend(String eventId, String type, SubscriptionRef ref);

  /** Paid: the subscription is active again; the app's keys too unless another payment fails. */
  boolean reinstate(String eventId, String type, SubscriptionRef ref);

  /** An event billing does not act on, recorded so its redeliveries are recognized. */
  boolean ignore(String eventId, String type);
}
