package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.STRIPE_WEBHOOK_EVENTS;

import dev.turnpike.metering.webhook.CheckoutRef;
import dev.turnpike.metering.webhook.InvoiceRef;
import dev.turnpike.metering.webhook.PaymentLedger;
import dev.turnpike.metering.webhook.SubscriptionRef;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/**
 * {@link PaymentLedger} on PostgreSQL as metering's role. Each event is one transaction: the event
 * id, the subscription and key changes, the outbox rows for the gateway and an audit entry commit
 * together or not at all. The app row is locked first, as the control plane does before it
 * publishes an app's keys, so the two never publish an app's keys from interleaved states.
 */
public final class JooqPaymentLedger implements PaymentLedger {
  private final DSLContext db;
  private final Clock clock;

  public JooqPaymentLedger(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public boolean checkoutPaid(String eventId, String type, CheckoutRef ref) {
    return once(eventId, type, tx -> CheckoutEffects.paid(tx, ref, eventId, now()));
  }

  @Override
  public boolean checkoutUnpaid(String eventId, String type, CheckoutRef ref) {
    return once(eventId, type, tx -> CheckoutEffects.unpaid(tx, ref, eventId, now()));
  }

  @Override
  public boolean checkoutPaymentFailed(String eventId, String type, CheckoutRef ref) {
    return once(eventId, type, tx -> CheckoutEffects.failed(tx, ref, eventId, now()));
  }

  @Override
  public boolean invoiceFailed(String eventId, String type, InvoiceRef ref) {
    return once(eventId, type, tx -> InvoiceEffects.failed(tx, ref, eventId, now()));
  }

  @Override
  public boolean invoicePaid(String eventId, String type, InvoiceRef ref) {
    return once(eventId, type, tx -> InvoiceEffects.paid(tx, ref, eventId, now()));
  }

  @Override
  public boolean stripeSubscriptionEnded(String eventId, String type, SubscriptionRef ref) {
    return once(eventId, type, tx -> InvoiceEffects.ended(tx, ref, eventId, now()));
  }

  @Override
  public boolean ignore(String eventId, String type) {
    return once(eventId, type, tx -> {});
  }

  private interface Effect {
    void apply(DSLContext tx);
  }

  private boolean once(String eventId, String type, Effect effect) {
    return db.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          int fresh =
              tx.insertInto(STRIPE_WEBHOOK_EVENTS)
                  .set(STRIPE_WEBHOOK_EVENTS.EVENT_ID, eventId)
                  .set(STRIPE_WEBHOOK_EVENTS.TYPE, type)
                  .set(STRIPE_WEBHOOK_EVENTS.RECEIVED_AT, now())
                  .onConflict(STRIPE_WEBHOOK_EVENTS.EVENT_ID)
                  .doNothing()
                  .execute();
          if (fresh == 0) {
            return false;
          }
          effect.apply(tx);
          return true;
        });
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
