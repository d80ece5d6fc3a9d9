package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.STRIPE_INVOICE_PAYMENTS;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/**
 * What billing learned of each Stripe invoice of a subscription ({@code stripe_invoice_payments}),
 * so that the newest invoice decides whatever order Stripe's events arrive in: a paid invoice stays
 * paid, a failure counts only while no invoice at least as new is paid, and a payment clears the
 * suspension only while no newer invoice has failed. (Invoices created in the same second order as
 * equals, and then the payment wins.)
 */
final class InvoiceOrder {
  private InvoiceOrder() {}

  /**
   * Records a failed payment of the invoice; returns whether it is the subscription's newest word,
   * i.e. neither this invoice nor a newer one is paid.
   */
  static boolean failed(
      DSLContext tx, SubscriptionRows.Locked sub, String invoiceId, OffsetDateTime created) {
    tx.insertInto(STRIPE_INVOICE_PAYMENTS)
        .set(STRIPE_INVOICE_PAYMENTS.INVOICE_ID, invoiceId)
        .set(STRIPE_INVOICE_PAYMENTS.TENANT_ID, sub.tenantId())
        .set(STRIPE_INVOICE_PAYMENTS.SUBSCRIPTION_ID, sub.id())
        .set(STRIPE_INVOICE_PAYMENTS.INVOICE_CREATED, created)
        .set(STRIPE_INVOICE_PAYMENTS.PAID, false)
        .onConflict(STRIPE_INVOICE_PAYMENTS.INVOICE_ID)
        .doNothing()
        .execute();
    OffsetDateTime at = createdOf(tx, invoiceId);
    return !tx.fetchExists(
        STRIPE_INVOICE_PAYMENTS,
        STRIPE_INVOICE_PAYMENTS.SUBSCRIPTION_ID.eq(sub.id()),
        STRIPE_INVOICE_PAYMENTS.PAID.isTrue(),
        STRIPE_INVOICE_PAYMENTS
            .INVOICE_ID
            .eq(invoiceId)
            .or(STRIPE_INVOICE_PAYMENTS.INVOICE_CREATED.ge(at)));
  }

  /**
   * Records the invoice as paid; returns whether that settles the subscription's payments, i.e. no
   * newer invoice is still unpaid after a failure.
   */
  static boolean paid(
      DSLContext tx,
      SubscriptionRows.Locked sub,
      String invoiceId,
      OffsetDateTime created,
      OffsetDateTime now) {
    tx.insertInto(STRIPE_INVOICE_PAYMENTS)
        .set(STRIPE_INVOICE_PAYMENTS.INVOICE_ID, invoiceId)
        .set(STRIPE_INVOICE_PAYMENTS.TENANT_ID, sub.tenantId())
        .set(STRIPE_INVOICE_PAYMENTS.SUBSCRIPTION_ID, sub.id())
        .set(STRIPE_INVOICE_PAYMENTS.INVOICE_CREATED, created)
        .set(STRIPE_INVOICE_PAYMENTS.PAID, true)
        .onConflict(STRIPE_INVOICE_PAYMENTS.INVOICE_ID)
        .doUpdate()
        .set(STRIPE_INVOICE_PAYMENTS.PAID, true)
        .set(STRIPE_INVOICE_PAYMENTS.UPDATED_AT, now)
        .execute();
    OffsetDateTime at = createdOf(tx, invoiceId);
    return !tx.fetchExists(
        STRIPE_INVOICE_PAYMENTS,
        STRIPE_INVOICE_PAYMENTS.SUBSCRIPTION_ID.eq(sub.id()),
        STRIPE_INVOICE_PAYMENTS.PAID.isFalse(),
        STRIPE_INVOICE_PAYMENTS.INVOICE_CREATED.gt(at));
  }

  /** The invoice's creation time as first recorded (a later event cannot move it). */
  private static OffsetDateTime createdOf(DSLContext tx, String invoiceId) {
    return tx.select(STRIPE_INVOICE_PAYMENTS.INVOICE_CREATED)
        .from(STRIPE_INVOICE_PAYMENTS)
        .where(STRIPE_INVOICE_PAYMENTS.INVOICE_ID.eq(invoiceId))
        .fetchOne(STRIPE_INVOICE_PAYMENTS.INVOICE_CREATED);
  }
}
