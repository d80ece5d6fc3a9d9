package dev.turnpike.metering.stripe.impl;

import static dev.turnpike.db.Tables.STRIPE_LINKS;

import dev.turnpike.metering.stripe.StripeLinks;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** {@link StripeLinks} on {@code stripe_links}, as metering's role. */
public final class JooqStripeLinks implements StripeLinks {
  private final DSLContext db;

  public JooqStripeLinks(DSLContext db) {
    this.db = db;
  }

  @Override
  public Optional<String> find(String entityType, UUID entityId, String stripeType) {
    return db.select(STRIPE_LINKS.STRIPE_ID)
        .from(STRIPE_LINKS)
        .where(
            STRIPE_LINKS.ENTITY_TYPE.eq(entityType),
            STRIPE_LINKS.ENTITY_ID.eq(entityId),
            STRIPE_LINKS.STRIPE_TYPE.eq(stripeType))
        .fetchOptional(STRIPE_LINKS.STRIPE_ID);
  }

  @Override
  public String link(
      UUID tenantId, String entityType, UUID entityId, String stripeType, String stripeId) {
    db.insertInto(STRIPE_LINKS)
        .set(STRIPE_LINKS.TENANT_ID, tenantId)
        .set(STRIPE_LINKS.ENTITY_TYPE, entityType)
        .set(STRIPE_LINKS.ENTITY_ID, entityId)
        .set(STRIPE_LINKS.STRIPE_TYPE, stripeType)
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .onConflict(STRIPE_LINKS.ENTITY_TYPE, STRIPE_LINKS.ENTITY_ID, STRIPE_LINKS.STRIPE_TYPE)
        .doNothing()
        .execute();
    return find(entityType, entityId, stripeType).orElseThrow();
  }

  @Override
  public void relink(
      UUID tenantId, String entityType, UUID entityId, String stripeType, String stripeId) {
    db.insertInto(STRIPE_LINKS)
        .set(STRIPE_LINKS.TENANT_ID, tenantId)
        .set(STRIPE_LINKS.ENTITY_TYPE, entityType)
        .set(STRIPE_LINKS.ENTITY_ID, entityId)
        .set(STRIPE_LINKS.STRIPE_TYPE, stripeType)
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .onConflict(STRIPE_LINKS.ENTITY_TYPE, STRIPE_LINKS.ENTITY_ID, STRIPE_LINKS.STRIPE_TYPE)
        .doUpdate()
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .execute();
  }
}
