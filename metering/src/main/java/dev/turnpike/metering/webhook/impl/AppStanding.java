package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.BILLING_STANDINGS;
import static dev.turnpike.db.Tables.BILLING_STANDING_OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.subscription.SubscriptionStatus;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Billing's decision about an app after a payment changed its subscriptions: suspended while one of
 * them is suspended, in good standing otherwise. It goes into metering's own outbox in the change's
 * own transaction, so the decision is recorded exactly when the subscription change commits; the
 * standing relay publishes it and the control plane applies it to the app's keys (and republishes
 * them, with the app's plans as they are now). Metering neither changes nor publishes keys itself:
 * the control plane's key records stay the gateway's one truth.
 */
final class AppStanding {
  private AppStanding() {}

  /** Records the app's standing as it is now in this transaction; returns the decision. */
  static BillingStanding record(DSLContext tx, UUID tenantId, UUID appId, OffsetDateTime now) {
    // Take the app's revision first: the row lock makes a concurrent payment of the same app wait
    // until this one commits, so the later decision sees this one's subscriptions and carries the
    // higher revision.
    long revision =
        tx.insertInto(BILLING_STANDINGS)
            .set(BILLING_STANDINGS.TENANT_ID, tenantId)
            .set(BILLING_STANDINGS.APP_ID, appId)
            .set(BILLING_STANDINGS.STANDING, BillingStanding.Standing.GOOD.wire())
            .set(BILLING_STANDINGS.REVISION, 1L)
            .set(BILLING_STANDINGS.DECIDED_AT, now)
            .onConflict(BILLING_STANDINGS.TENANT_ID, BILLING_STANDINGS.APP_ID)
            .doUpdate()
            .set(BILLING_STANDINGS.REVISION, BILLING_STANDINGS.REVISION.plus(1))
            .returningResult(BILLING_STANDINGS.REVISION)
            .fetchOne()
            .value1();
    boolean unpaid =
        tx.fetchExists(
            tx.selectFrom(SUBSCRIPTIONS)
                .where(
                    SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                    SUBSCRIPTIONS.APP_ID.eq(appId),
                    SUBSCRIPTIONS.STATUS.eq(SubscriptionStatus.SUSPENDED.wire())));
    BillingStanding decision =
        new BillingStanding(
            BillingStanding.SCHEMA_VERSION,
            tenantId.toString(),
            appId.toString(),
            BillingStanding.Standing.of(unpaid),
            revision,
            now.toInstant());
    tx.update(BILLING_STANDINGS)
        .set(BILLING_STANDINGS.STANDING, decision.standing().wire())
        .set(BILLING_STANDINGS.DECIDED_AT, now)
        .where(BILLING_STANDINGS.TENANT_ID.eq(tenantId), BILLING_STANDINGS.APP_ID.eq(appId))
        .execute();
    tx.insertInto(BILLING_STANDING_OUTBOX)
        .set(BILLING_STANDING_OUTBOX.TENANT_ID, tenantId)
        .set(BILLING_STANDING_OUTBOX.APP_ID, appId)
        .set(BILLING_STANDING_OUTBOX.REVISION, revision)
        .set(BILLING_STANDING_OUTBOX.PAYLOAD, BillingStanding.CODEC.encode(decision))
        .execute();
    return decision;
  }
}
