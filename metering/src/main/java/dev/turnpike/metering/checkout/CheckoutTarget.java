package dev.turnpike.metering.checkout;

import dev.turnpike.metering.rating.PlanPricing;
import java.util.UUID;

/** What a checkout needs to know of a subscription: its plan, its app and the app's owner. */
public record CheckoutTarget(
    UUID tenantId,
    UUID subscriptionId,
    String status,
    UUID appId,
    UUID planId,
    String planName,
    PlanPricing pricing,
    UUID ownerUserId,
    String ownerEmail,
    String ownerName) {}
