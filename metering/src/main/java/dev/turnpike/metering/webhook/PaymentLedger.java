package dev.turnpike.metering.webhook;

/**
 * The state changes Stripe's webhooks may cause. Each call is one transaction that also records the
 * event id, so a redelivered event changes nothing; and each change applies only from the states it
 * belongs to, so an event that arrives late (Stripe does not keep order) never undoes a newer
 * state.
 *
 * <p>Every method returns false when the event was already handled.
 */
public interface PaymentLedger {
  /**
   * A checkout's payment went through (at once, or a delayed one settled): a subscription that
   * waits for payment becomes active and its plan reaches the app's keys. A subscription still
   * waiting for the owner's approval is never activated.
   */
  boolean checkoutPaid(String eventId, String type, CheckoutRef ref);

  /** A checkout completed with a payment that settles later: no access, no second checkout. */
  boolean checkoutUnpaid(String eventId, String type, CheckoutRef ref);

  /** A checkout's delayed payment failed: the subscription stays unpaid and may check out again. */
  boolean checkoutPaymentFailed(String eventId, String type, CheckoutRef ref);

  /**
   * An invoice's payment failed: unless a newer invoice is paid, an active subscription is
   * suspended and so is every enabled key of its app.
   */
  boolean invoiceFailed(String eventId, String type, InvoiceRef ref);

  /**
   * An invoice is paid: unless a newer invoice failed, a suspended subscription is active again,
   * and the app's keys too unless another of its subscriptions is suspended.
   */
  boolean invoicePaid(String eventId, String type, InvoiceRef ref);

  /**
   * The Stripe subscription that pays for ours was deleted: ours ends and its plan leaves the keys.
   */
  boolean stripeSubscriptionEnded(String eventId, String type, SubscriptionRef ref);

  /** An event billing does not act on, recorded so its redeliveries are recognized. */
  boolean ignore(String eventId, String type);
}
