package dev.turnpike.metering.webhook;

import java.util.UUID;

/**
 * A Checkout Session's event: the subscription its metadata names (ours, set when we created it),
 * the Stripe subscription it created (null before payment in some flows) and the session's id.
 */
public record CheckoutRef(
    UUID tenantId, UUID subscriptionId, String stripeSubscriptionId, String checkoutSessionId) {}
