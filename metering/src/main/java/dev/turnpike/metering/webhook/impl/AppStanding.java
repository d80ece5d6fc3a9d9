package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.BILLING_STANDING_OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.subscription.SubscriptionStatus;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Billing's decision about an app after a payment changed its subscriptions: suspended while one of
 * them is suspended, active otherwise. It goes into metering's own outbox in the change's own
 * transaction, so the decision is recorded exactly when the subscription change commits; the
 * standing relay publishes it and the control plane applies it to the app's keys. Metering neither
 * changes nor publishes keys itself: the control plane's key records stay the gateway's one truth.
 */
final class AppStanding {
  private AppStanding() {}

  /** Records the app's standing as it is now in this transaction; returns it. */
  static BillingStanding.Standing record(
      DSLContext tx, UUID tenantId, UUID appId, OffsetDateTime now) {
    boolean unpaid =
        tx.fetchExists(
            tx.selectFrom(SUBSCRIPTIONS)
                .where(
                    SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                    SUBSCRIPTIONS.APP_ID.eq(appId),
                    SUBSCRIPTIONS.STATUS.eq(SubscriptionStatus.SUSPENDED.wire())));
    BillingStanding.Standing standing = BillingStanding.Standing.of(unpaid);
    tx.insertInto(BILLING_STANDING_OUTBOX)
        .set(BILLING_STANDING_OUTBOX.TENANT_ID, tenantId)
        .set(BILLING_STANDING_OUTBOX.APP_ID, appId)
        .set(BILLING_STANDING_OUTBOX.STANDING, standing.name())
        .set(BILLING_STANDING_OUTBOX.DECIDED_AT, now)
        .execute();
    return standing;
  }
}
