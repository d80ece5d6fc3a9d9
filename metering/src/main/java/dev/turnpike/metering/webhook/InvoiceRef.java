package dev.turnpike.metering.webhook;

import java.time.Instant;

/**
 * A Stripe invoice's event: the subscription it bills, its id and when Stripe created it (which
 * orders a subscription's invoices, whatever order their events arrive in).
 */
public record InvoiceRef(SubscriptionRef subscription, String invoiceId, Instant created) {}
