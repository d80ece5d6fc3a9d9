package dev.turnpike.metering.invoice;

import dev.turnpike.metering.rating.PlanPricing;
import java.time.Instant;
import java.util.UUID;

/**
 * A subscription as the period close sees it: who pays, on which plan, and when it was live.
 *
 * @param endedAt null while it is still live
 * @param firstUsageHour the first hour of usage it pays for ({@link
 *     dev.turnpike.metering.rating.BillableHours#first})
 */
public record BilledSubscription(
    UUID tenantId,
    UUID subscriptionId,
    UUID appId,
    UUID planId,
    String planName,
    PlanPricing pricing,
    Instant startedAt,
    Instant endedAt,
    Instant firstUsageHour) {}
