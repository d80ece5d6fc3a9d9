package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.STRIPE_LINKS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.metering.webhook.SubscriptionRef;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record2;

/**
 * The subscription rows a webhook changes, read as metering's role with the tenant in every
 * predicate. A subscription is read only after its app row is locked, as the control plane locks it
 * before it changes a subscription or publishes the app's keys, so the status a webhook decides on
 * is the one it changes.
 */
final class SubscriptionRows {
  private SubscriptionRows() {}

  /** A subscription whose app is locked for this transaction. */
  record Locked(UUID tenantId, UUID id, UUID appId, SubscriptionStatus status) {}

  static Optional<Locked> lock(DSLContext tx, UUID tenantId, UUID subscriptionId) {
    Optional<UUID> app =
        tx.select(APPS.ID)
            .from(APPS)
            .where(
                APPS.TENANT_ID.eq(tenantId),
                APPS.ID.in(
                    tx.select(SUBSCRIPTIONS.APP_ID)
                        .from(SUBSCRIPTIONS)
                        .where(
                            SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                            SUBSCRIPTIONS.ID.eq(subscriptionId))))
            .forUpdate()
            .fetchOptional(APPS.ID);
    if (app.isEmpty()) {
      return Optional.empty();
    }
    String status =
        tx.select(SUBSCRIPTIONS.STATUS)
            .from(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.TENANT_ID.eq(tenantId), SUBSCRIPTIONS.ID.eq(subscriptionId))
            .fetchOne(SUBSCRIPTIONS.STATUS);
    return Optional.of(
        new Locked(tenantId, subscriptionId, app.get(), SubscriptionStatus.of(status)));
  }

  /**
   * The subscription an invoice or Stripe subscription names: by the metadata checkout gave it, or
   * else by the Stripe subscription id linked to one of ours.
   */
  static Optional<Locked> lock(DSLContext tx, SubscriptionRef ref) {
    Optional<Record2<UUID, UUID>> byMeta = Optional.empty();
    if (ref.tenantId() != null && ref.subscriptionId() != null) {
      byMeta =
          tx.select(SUBSCRIPTIONS.TENANT_ID, SUBSCRIPTIONS.ID)
              .from(SUBSCRIPTIONS)
              .where(
                  SUBSCRIPTIONS.TENANT_ID.eq(ref.tenantId()),
                  SUBSCRIPTIONS.ID.eq(ref.subscriptionId()))
              .fetchOptional();
    }
    Optional<Record2<UUID, UUID>> found =
        byMeta.isPresent() || ref.stripeSubscriptionId() == null
            ? byMeta
            : tx.select(STRIPE_LINKS.TENANT_ID, STRIPE_LINKS.ENTITY_ID)
                .from(STRIPE_LINKS)
                .where(
                    STRIPE_LINKS.STRIPE_TYPE.eq("subscription"),
                    STRIPE_LINKS.STRIPE_ID.eq(ref.stripeSubscriptionId()),
                    STRIPE_LINKS.ENTITY_TYPE.eq("subscription"))
                .fetchOptional();
    return found.flatMap(r -> lock(tx, r.value1(), r.value2()));
  }

  static void setStatus(DSLContext tx, Locked sub, SubscriptionStatus status, OffsetDateTime now) {
    tx.update(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.STATUS, status.wire())
        .set(SUBSCRIPTIONS.UPDATED_AT, now)
        .where(SUBSCRIPTIONS.TENANT_ID.eq(sub.tenantId()), SUBSCRIPTIONS.ID.eq(sub.id()))
        .execute();
  }

  /** The Stripe object of {@code stripeType} linked to the subscription, if any. */
  static Optional<String> linked(DSLContext tx, Locked sub, String stripeType) {
    return tx.select(STRIPE_LINKS.STRIPE_ID)
        .from(STRIPE_LINKS)
        .where(
            STRIPE_LINKS.TENANT_ID.eq(sub.tenantId()),
            STRIPE_LINKS.ENTITY_TYPE.eq("subscription"),
            STRIPE_LINKS.ENTITY_ID.eq(sub.id()),
            STRIPE_LINKS.STRIPE_TYPE.eq(stripeType))
        .fetchOptional(STRIPE_LINKS.STRIPE_ID);
  }

  /** Links (or re-links) the subscription to a Stripe object; null changes nothing. */
  static void link(DSLContext tx, Locked sub, String stripeType, String stripeId) {
    if (stripeId == null) {
      return;
    }
    tx.insertInto(STRIPE_LINKS)
        .set(STRIPE_LINKS.TENANT_ID, sub.tenantId())
        .set(STRIPE_LINKS.ENTITY_TYPE, "subscription")
        .set(STRIPE_LINKS.ENTITY_ID, sub.id())
        .set(STRIPE_LINKS.STRIPE_TYPE, stripeType)
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .onConflict(STRIPE_LINKS.ENTITY_TYPE, STRIPE_LINKS.ENTITY_ID, STRIPE_LINKS.STRIPE_TYPE)
        .doUpdate()
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .execute();
  }

  static void audit(DSLContext tx, Locked sub, String action, String eventId, OffsetDateTime now) {
    tx.insertInto(AUDIT_LOG)
        .set(AUDIT_LOG.TENANT_ID, sub.tenantId())
        .set(AUDIT_LOG.ACTOR, "stripe")
        .set(AUDIT_LOG.ACTION, action)
        .set(AUDIT_LOG.ENTITY_TYPE, "subscription")
        .set(AUDIT_LOG.ENTITY_ID, sub.id().toString())
        .set(AUDIT_LOG.AFTER, JSONB.valueOf("{\"stripeEventId\":\"" + eventId + "\"}"))
        .set(AUDIT_LOG.CREATED_AT, now)
        .execute();
  }
}
