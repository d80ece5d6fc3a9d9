package dev.turnpike.contracts.subscription;

import java.util.Arrays;
import java.util.List;

/**
 * The life of a subscription, as the control plane (requests, approvals, cancellations) and billing
 * (payments) both write it in {@code subscriptions.status}. Approval comes before payment and
 * payment before access:
 *
 * <pre>
 * free plan:  [pending_approval ->] active
 * paid plan:  [pending_approval -> approved | pending_payment] -> checkout
 *             -> [payment_processing ->] active   (or payment_failed, then checkout again)
 * active <-> suspended (an invoice failed / was paid); anything -> cancelled (final)
 * </pre>
 *
 * Only {@link #ACTIVE} puts the plan on the app's keys.
 */
public enum SubscriptionStatus {
  /** Waits for the owner (the plan asks for approval); no checkout, no access. */
  PENDING_APPROVAL("pending_approval"),
  /** A paid plan the owner approved: waits for the developer's payment. */
  APPROVED("approved"),
  /** A paid plan that needs no approval: waits for the developer's payment. */
  PENDING_PAYMENT("pending_payment"),
  /** Checkout completed with a payment that settles later (a bank debit): no second checkout. */
  PAYMENT_PROCESSING("payment_processing"),
  /** The checkout's delayed payment failed: still unpaid, the developer may check out again. */
  PAYMENT_FAILED("payment_failed"),
  ACTIVE("active"),
  /** An invoice was not paid: the plan is off the app's keys and the keys are suspended. */
  SUSPENDED("suspended"),
  CANCELLED("cancelled");

  private final String wire;

  SubscriptionStatus(String wire) {
    this.wire = wire;
  }

  /** The value stored in {@code subscriptions.status} and shown by the APIs. */
  public String wire() {
    return wire;
  }

  /** A checkout may start now: approved (or needing no approval), unpaid, no payment under way. */
  public boolean payable() {
    return this == APPROVED || this == PENDING_PAYMENT || this == PAYMENT_FAILED;
  }

  /** Nothing more will happen to it. */
  public boolean ended() {
    return this == CANCELLED;
  }

  public static SubscriptionStatus of(String wire) {
    return Arrays.stream(values())
        .filter(s -> s.wire.equals(wire))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown subscription status " + wire));
  }

  /** The stored values of the statuses a checkout may start from. */
  public static List<String> payableWire() {
    return Arrays.stream(values()).filter(SubscriptionStatus::payable).map(s -> s.wire).toList();
  }
}
