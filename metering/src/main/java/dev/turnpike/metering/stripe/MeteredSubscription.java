package dev.turnpike.metering.stripe;

import java.time.Instant;
import java.util.UUID;

/**
 * A subscription paid through Stripe on a usage-priced plan: its usage is reported to the plan's
 * Billing Meter for the app owner's Stripe customer.
 *
 * @param endedAt null while live
 * @param firstUsageHour the first hour of usage it pays for ({@link
 *     dev.turnpike.metering.rating.BillableHours#first})
 */
public record MeteredSubscription(
    UUID tenantId,
    UUID subscriptionId,
    UUID appId,
    UUID planId,
    String customerId,
    Instant startedAt,
    Instant endedAt,
    Instant firstUsageHour) {}
