package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.STRIPE_LINKS;
import static dev.turnpike.db.Tables.STRIPE_WEBHOOK_EVENTS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.metering.webhook.PaymentLedger;
import dev.turnpike.metering.webhook.SubscriptionRef;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PaymentLedger} on PostgreSQL as the system role. Each event is one transaction: the event
 * id, the subscription and key changes, the outbox rows for the gateway and an audit entry commit
 * together or not at all. The app row is locked first, as the control plane does before it
 * publishes an app's keys, so the two never publish an app's keys from interleaved states.
 */
public final class JooqPaymentLedger implements PaymentLedger {
  private static final Logger LOG = LoggerFactory.getLogger(JooqPaymentLedger.class);

  private final DSLContext db;
  private final Clock clock;

  public JooqPaymentLedger(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public boolean activate(
      String eventId,
      String type,
      UUID tenantId,
      UUID subscriptionId,
      String stripeSubscriptionId,
      String checkoutSessionId) {
    return once(
        eventId,
        type,
        tx -> {
          Optional<UUID> app = lockApp(tx, tenantId, subscriptionId);
          if (app.isEmpty()) {
            LOG.warn("Checkout completed for unknown subscription {}; ignored", subscriptionId);
            return;
          }
          OffsetDateTime now = now();
          int changed =
              tx.update(SUBSCRIPTIONS)
                  .set(SUBSCRIPTIONS.STATUS, "active")
                  .set(SUBSCRIPTIONS.STARTED_AT, DSL.coalesce(SUBSCRIPTIONS.STARTED_AT, now))
                  .set(
                      SUBSCRIPTIONS.CURRENT_PERIOD_START,
                      DSL.coalesce(SUBSCRIPTIONS.CURRENT_PERIOD_START, now))
                  .set(SUBSCRIPTIONS.UPDATED_AT, now)
                  .where(
                      SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                      SUBSCRIPTIONS.ID.eq(subscriptionId),
                      SUBSCRIPTIONS.STATUS.in("pending_payment", "pending_approval", "active"))
                  .execute();
          if (changed == 0) {
            LOG.warn(
                "Checkout completed for subscription {} that is no longer payable", subscriptionId);
            return;
          }
          if (stripeSubscriptionId != null) {
            link(tx, tenantId, subscriptionId, "subscription", stripeSubscriptionId);
          }
          if (checkoutSessionId != null) {
            link(tx, tenantId, subscriptionId, "checkout_session", checkoutSessionId);
          }
          KeyRecordOutbox.publishApp(tx, tenantId, app.get());
          audit(tx, tenantId, "subscription.activate", subscriptionId, eventId);
        });
  }

  @Override
  public boolean suspend(String eventId, String type, SubscriptionRef ref) {
    return once(
        eventId,
        type,
        tx -> {
          Optional<Record2<UUID, UUID>> sub = resolve(tx, ref);
          if (sub.isEmpty()) {
            LOG.warn("Payment failed for a subscription Turnpike does not know ({}); ignored", ref);
            return;
          }
          UUID tenantId = sub.get().value1();
          UUID subscriptionId = sub.get().value2();
          UUID appId = lockApp(tx, tenantId, subscriptionId).orElseThrow();
          tx.update(SUBSCRIPTIONS)
              .set(SUBSCRIPTIONS.STATUS, "suspended")
              .set(SUBSCRIPTIONS.UPDATED_AT, now())
              .where(SUBSCRIPTIONS.ID.eq(subscriptionId), SUBSCRIPTIONS.STATUS.eq("active"))
              .execute();
          int keys =
              tx.update(API_KEYS)
                  .set(API_KEYS.STATUS, "suspended")
                  .where(
                      API_KEYS.TENANT_ID.eq(tenantId),
                      API_KEYS.APP_ID.eq(appId),
                      API_KEYS.STATUS.eq("enabled"))
                  .execute();
          KeyRecordOutbox.publishApp(tx, tenantId, appId);
          audit(tx, tenantId, "subscription.suspend", subscriptionId, eventId);
          LOG.info(
              "Payment failed: suspended subscription {} and {} key(s) of app {}",
              subscriptionId,
              keys,
              appId);
        });
  }

  @Override
  public boolean reinstate(String eventId, String type, SubscriptionRef ref) {
    return once(
        eventId,
        type,
        tx -> {
          Optional<Record2<UUID, UUID>> sub = resolve(tx, ref);
          if (sub.isEmpty()) {
            LOG.warn("Invoice paid for a subscription Turnpike does not know ({}); ignored", ref);
            return;
          }
          UUID tenantId = sub.get().value1();
          UUID subscriptionId = sub.get().value2();
          UUID appId = lockApp(tx, tenantId, subscriptionId).orElseThrow();
          int reinstated =
              tx.update(SUBSCRIPTIONS)
                  .set(SUBSCRIPTIONS.STATUS, "active")
                  .set(SUBSCRIPTIONS.UPDATED_AT, now())
                  .where(SUBSCRIPTIONS.ID.eq(subscriptionId), SUBSCRIPTIONS.STATUS.eq("suspended"))
                  .execute();
          if (reinstated == 0) {
            return; // a routine renewal: nothing was suspended
          }
          boolean otherUnpaid =
              tx.fetchExists(
                  tx.selectFrom(SUBSCRIPTIONS)
                      .where(
                          SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                          SUBSCRIPTIONS.APP_ID.eq(appId),
                          SUBSCRIPTIONS.STATUS.eq("suspended")));
          if (!otherUnpaid) {
            tx.update(API_KEYS)
                .set(API_KEYS.STATUS, "enabled")
                .where(
                    API_KEYS.TENANT_ID.eq(tenantId),
                    API_KEYS.APP_ID.eq(appId),
                    API_KEYS.STATUS.eq("suspended"))
                .execute();
          }
          KeyRecordOutbox.publishApp(tx, tenantId, appId);
          audit(tx, tenantId, "subscription.reinstate", subscriptionId, eventId);
        });
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

  private static Optional<UUID> lockApp(DSLContext tx, UUID tenantId, UUID subscriptionId) {
    return tx.select(APPS.ID)
        .from(APPS)
        .where(
            APPS.TENANT_ID.eq(tenantId),
            APPS.ID.in(
                tx.select(SUBSCRIPTIONS.APP_ID)
                    .from(SUBSCRIPTIONS)
                    .where(
                        SUBSCRIPTIONS.TENANT_ID.eq(tenantId), SUBSCRIPTIONS.ID.eq(subscriptionId))))
        .forUpdate()
        .fetchOptional(APPS.ID);
  }

  private static Optional<Record2<UUID, UUID>> resolve(DSLContext tx, SubscriptionRef ref) {
    if (ref.tenantId() != null && ref.subscriptionId() != null) {
      Optional<Record2<UUID, UUID>> byMeta =
          tx.select(SUBSCRIPTIONS.TENANT_ID, SUBSCRIPTIONS.ID)
              .from(SUBSCRIPTIONS)
              .where(
                  SUBSCRIPTIONS.TENANT_ID.eq(ref.tenantId()),
                  SUBSCRIPTIONS.ID.eq(ref.subscriptionId()))
              .fetchOptional();
      if (byMeta.isPresent()) {
        return byMeta;
      }
    }
    if (ref.stripeSubscriptionId() == null) {
      return Optional.empty();
    }
    return tx.select(STRIPE_LINKS.TENANT_ID, STRIPE_LINKS.ENTITY_ID)
        .from(STRIPE_LINKS)
        .where(
            STRIPE_LINKS.STRIPE_TYPE.eq("subscription"),
            STRIPE_LINKS.STRIPE_ID.eq(ref.stripeSubscriptionId()),
            STRIPE_LINKS.ENTITY_TYPE.eq("subscription"))
        .fetchOptional();
  }

  private static void link(
      DSLContext tx, UUID tenantId, UUID subscriptionId, String stripeType, String stripeId) {
    tx.insertInto(STRIPE_LINKS)
        .set(STRIPE_LINKS.TENANT_ID, tenantId)
        .set(STRIPE_LINKS.ENTITY_TYPE, "subscription")
        .set(STRIPE_LINKS.ENTITY_ID, subscriptionId)
        .set(STRIPE_LINKS.STRIPE_TYPE, stripeType)
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .onConflict(STRIPE_LINKS.ENTITY_TYPE, STRIPE_LINKS.ENTITY_ID, STRIPE_LINKS.STRIPE_TYPE)
        .doUpdate()
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .execute();
  }

  private void audit(
      DSLContext tx, UUID tenantId, String action, UUID subscriptionId, String eventId) {
    tx.insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.TENANT_ID, tenantId)
        .set(AUDIT_LOG.ACTOR, "stripe")
        .set(AUDIT_LOG.ACTION, action)
        .set(AUDIT_LOG.ENTITY_TYPE, "subscription")
        .set(AUDIT_LOG.ENTITY_ID, subscriptionId.toString())
        .set(AUDIT_LOG.AFTER, JSONB.valueOf("{\"stripeEventId\":\"" + eventId + "\"}"))
        .set(AUDIT_LOG.CREATED_AT, now())
        .execute();
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
