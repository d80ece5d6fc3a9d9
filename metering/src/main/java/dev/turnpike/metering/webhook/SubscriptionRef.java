package dev.turnpike.metering.webhook;

import java.util.UUID;

/**
 * How a Stripe event names one of our subscriptions: by the metadata we put on the Checkout Session
 * and Stripe subscription (tenant and subscription ids), or else by the Stripe subscription id we
 * linked at activation. Either part may be null, not both.
 */
public record SubscriptionRef(UUID tenantId, UUID subscriptionId, String stripeSubscriptionId) {}
