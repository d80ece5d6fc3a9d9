package dev.turnpike.metering.invoice.impl;

import static dev.turnpike.db.Tables.PLAN_PRICE_TIERS;

import dev.turnpike.db.tables.records.UsagePlansRecord;
import dev.turnpike.metering.rating.PlanPricing;
import dev.turnpike.metering.rating.PriceModel;
import dev.turnpike.metering.rating.PriceTier;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jooq.DSLContext;

/** Reads a usage plan's prices (columns and tiers) as the rating domain's {@link PlanPricing}. */
public final class PlanPricingQuery {
  private PlanPricingQuery() {}

  public static PlanPricing pricing(DSLContext db, UsagePlansRecord plan) {
    List<PriceTier> tiers = tiers(db, plan.getId());
    return new PlanPricing(
        PriceModel.fromColumn(plan.getPricingModel()),
        plan.getCurrency().trim().toLowerCase(Locale.ROOT),
        plan.getFlatFeeCents(),
        plan.getUnitPriceMicros(),
        plan.getIncludedRequests(),
        tiers,
        plan.getMessagePricePerMillionMicros(),
        plan.getConnectionMinutePricePerMillionMicros());
  }

  private static List<PriceTier> tiers(DSLContext db, UUID planId) {
    return db.selectFrom(PLAN_PRICE_TIERS)
        .where(PLAN_PRICE_TIERS.PLAN_ID.eq(planId))
        .orderBy(PLAN_PRICE_TIERS.TIER_INDEX)
        .fetch(t -> new PriceTier(t.getUpTo(), t.getUnitPriceMicros(), t.getFlatFeeCents()));
  }
}
