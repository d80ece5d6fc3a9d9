package dev.turnpike.controlplane.portal;

import java.util.UUID;

/**
 * Billing's side of a paid subscription: a hosted checkout page (Stripe Checkout) for one pending
 * subscription. Billing activates the subscription when the payment's webhook arrives. Blocking.
 */
public interface CheckoutSessions {
  /** What billing needs: it reads the app, its owner and the plan from the subscription. */
  record Request(UUID tenantId, UUID subscriptionId, String successUrl, String cancelUrl) {}

  record Session(String id, String url) {}

  /** False when no billing service is configured: paid plans cannot be sold then. */
  boolean configured();

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure unavailable when billing cannot be reached
   *     or refuses
   */
  Session create(Request request);
}
