package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * An app's keys while its payments fail: every enabled key is suspended when one of its
 * subscriptions is, and enabled again once none is. Each change is republished for the gateway
 * ({@link KeyRecordOutbox}), with the app's active plans.
 */
final class AppKeys {
  private AppKeys() {}

  /** Suspends the app's enabled keys; returns how many. */
  static int suspend(DSLContext tx, UUID tenantId, UUID appId) {
    return tx.update(API_KEYS)
        .set(API_KEYS.STATUS, "suspended")
        .where(
            API_KEYS.TENANT_ID.eq(tenantId),
            API_KEYS.APP_ID.eq(appId),
            API_KEYS.STATUS.eq("enabled"))
        .execute();
  }

  /** Enables the app's suspended keys again unless a subscription of the app is still suspended. */
  static void releaseUnlessSuspended(DSLContext tx, UUID tenantId, UUID appId) {
    boolean stillUnpaid =
        tx.fetchExists(
            tx.selectFrom(SUBSCRIPTIONS)
                .where(
                    SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                    SUBSCRIPTIONS.APP_ID.eq(appId),
                    SUBSCRIPTIONS.STATUS.eq(SubscriptionStatus.SUSPENDED.wire())));
    if (!stillUnpaid) {
      tx.update(API_KEYS)
          .set(API_KEYS.STATUS, "enabled")
          .where(
              API_KEYS.TENANT_ID.eq(tenantId),
              API_KEYS.APP_ID.eq(appId),
              API_KEYS.STATUS.eq("suspended"))
          .execute();
    }
  }

  /** Tells the gateway the app's keys as they are now. */
  static void publish(DSLContext tx, UUID tenantId, UUID appId) {
    KeyRecordOutbox.publishApp(tx, tenantId, appId);
  }
}
