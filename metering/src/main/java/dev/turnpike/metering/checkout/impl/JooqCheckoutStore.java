package dev.turnpike.metering.checkout.impl;

import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.USAGE_PLANS;
import static dev.turnpike.db.Tables.USERS;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.metering.checkout.CheckoutStore;
import dev.turnpike.metering.checkout.CheckoutTarget;
import dev.turnpike.metering.invoice.impl.PlanPricingQuery;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** {@link CheckoutStore} as metering's role, with the tenant in every predicate. */
public final class JooqCheckoutStore implements CheckoutStore {
  private final DSLContext db;

  public JooqCheckoutStore(DSLContext db) {
    this.db = db;
  }

  @Override
  public Optional<CheckoutTarget> target(UUID tenantId, UUID subscriptionId) {
    return db.select()
        .from(SUBSCRIPTIONS)
        .join(APPS)
        .on(APPS.TENANT_ID.eq(SUBSCRIPTIONS.TENANT_ID), APPS.ID.eq(SUBSCRIPTIONS.APP_ID))
        .join(USAGE_PLANS)
        .on(
            USAGE_PLANS.TENANT_ID.eq(SUBSCRIPTIONS.TENANT_ID),
            USAGE_PLANS.ID.eq(SUBSCRIPTIONS.PLAN_ID))
        .join(USERS)
        .on(USERS.ID.eq(APPS.OWNER_USER_ID))
        .where(SUBSCRIPTIONS.TENANT_ID.eq(tenantId), SUBSCRIPTIONS.ID.eq(subscriptionId))
        .fetchOptional(
            r ->
                new CheckoutTarget(
                    tenantId,
                    subscriptionId,
                    r.get(SUBSCRIPTIONS.STATUS),
                    r.get(APPS.ID),
                    r.get(USAGE_PLANS.ID),
                    r.get(USAGE_PLANS.NAME),
                    PlanPricingQuery.pricing(db, r.into(USAGE_PLANS)),
                    r.get(USERS.ID),
                    r.get(USERS.EMAIL),
                    r.get(USERS.DISPLAY_NAME)));
  }

  @Override
  public void reopenAfterFailedPayment(UUID tenantId, UUID subscriptionId) {
    db.update(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.STATUS, SubscriptionStatus.PENDING_PAYMENT.wire())
        .set(SUBSCRIPTIONS.UPDATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
        .where(
            SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
            SUBSCRIPTIONS.ID.eq(subscriptionId),
            SUBSCRIPTIONS.STATUS.eq(SubscriptionStatus.PAYMENT_FAILED.wire()))
        .execute();
  }
}
