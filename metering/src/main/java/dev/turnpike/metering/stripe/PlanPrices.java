package dev.turnpike.metering.stripe;

import dev.turnpike.metering.rating.PlanPricing;
import dev.turnpike.metering.rating.PriceModel;
import dev.turnpike.metering.rating.PriceTier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mirrors a usage plan in Stripe, once: a Billing Meter and a metered price for a usage-priced plan
 * (per request, graduated, volume), a licensed monthly price for its flat fee. Each object is
 * created with an idempotency key derived from the plan and linked in {@code stripe_links}, so
 * concurrent or repeated calls end with one meter and one price per plan.
 *
 * <p>The included allowance becomes a free first tier (per-request and graduated plans), so
 * Stripe's bill matches the ledger's. Stripe's volume pricing cannot express an allowance; such a
 * plan is refused with a {@link StripeFailure} rather than billed differently.
 *
 * <p>Stripe prices are immutable, and so are a plan's once anyone subscribed to it (the control
 * plane refuses the change; a checkout starts with a subscription), so the mirrored prices never go
 * stale.
 */
public final class PlanPrices {
  /** The prices a Checkout Session subscribes to, and the meter usage is reported on. */
  public record Mirrored(String flatPriceId, String meteredPriceId, String meterEventName) {}

  private final StripeApi stripe;
  private final StripeLinks links;

  public PlanPrices(StripeApi stripe, StripeLinks links) {
    this.stripe = stripe;
    this.links = links;
  }

  /** The Billing Meter event name of a plan: deterministic, so no lookup is needed to report. */
  public static String meterEventName(UUID planId) {
    return "turnpike_plan_" + planId.toString().replace("-", "");
  }

  public Mirrored ensure(UUID tenantId, UUID planId, String planName, PlanPricing pricing) {
    String flat = null;
    String metered = null;
    String eventName = null;
    if (pricing.model().usagePriced()) {
      eventName = meterEventName(planId);
      String meter = ensureMeter(tenantId, planId, planName, eventName);
      metered = ensureMeteredPrice(tenantId, planId, planName, pricing, meter);
    }
    if (pricing.model() != PriceModel.FREE && pricing.flatFeeCents() > 0) {
      flat =
          ensure(
              tenantId,
              planId,
              "price",
              "price_plan_" + planId + "_flat",
              new StripeApi.PriceSpec(
                  pricing.currency(),
                  planName + " (monthly fee)",
                  pricing.flatFeeCents(),
                  null,
                  null,
                  List.of(),
                  null,
                  meta(tenantId, planId)));
    }
    return new Mirrored(flat, metered, eventName);
  }

  private String ensureMeter(UUID tenantId, UUID planId, String planName, String eventName) {
    return links
        .find("plan", planId, "meter")
        .orElseGet(
            () ->
                links.link(
                    tenantId,
                    "plan",
                    planId,
                    "meter",
                    stripe.createMeter("meter_plan_" + planId, planName + " requests", eventName)));
  }

  private String ensureMeteredPrice(
      UUID tenantId, UUID planId, String planName, PlanPricing p, String meterId) {
    long included = p.includedRequests();
    List<StripeApi.PriceSpec.Tier> tiers = new ArrayList<>();
    String mode = "graduated";
    BigDecimal unit = null;
    switch (p.model()) {
      case PER_REQUEST -> {
        if (included == 0) {
          unit = cents(p.unitPriceMicros());
        } else {
          tiers.add(new StripeApi.PriceSpec.Tier(included, BigDecimal.ZERO, 0));
          tiers.add(new StripeApi.PriceSpec.Tier(null, cents(p.unitPriceMicros()), 0));
        }
      }
      case GRADUATED -> {
        if (included > 0) {
          tiers.add(new StripeApi.PriceSpec.Tier(included, BigDecimal.ZERO, 0));
        }
        for (PriceTier t : p.tiers()) {
          tiers.add(
              new StripeApi.PriceSpec.Tier(
                  t.upTo() == null ? null : t.upTo() + included,
                  cents(t.unitPriceMicros()),
                  t.flatFeeCents()));
        }
      }
      case VOLUME -> {
        if (included > 0) {
          throw new StripeFailure(
              "Stripe volume pricing cannot include free requests; give plan "
                  + planId
                  + " graduated tiers or no included requests to sell it through Stripe",
              0,
              null);
        }
        mode = "volume";
        for (PriceTier t : p.tiers()) {
          tiers.add(
              new StripeApi.PriceSpec.Tier(t.upTo(), cents(t.unitPriceMicros()), t.flatFeeCents()));
        }
      }
      default -> throw new IllegalStateException("not usage priced: " + p.model());
    }
    return ensure(
        tenantId,
        planId,
        "metered_price",
        "price_plan_" + planId + "_metered",
        new StripeApi.PriceSpec(
            p.currency(),
            planName + " (requests)",
            null,
            meterId,
            unit,
            tiers,
            tiers.isEmpty() ? null : mode,
            meta(tenantId, planId)));
  }

  private String ensure(
      UUID tenantId, UUID planId, String type, String key, StripeApi.PriceSpec spec) {
    return links
        .find("plan", planId, type)
        .orElseGet(() -> links.link(tenantId, "plan", planId, type, stripe.createPrice(key, spec)));
  }

  /** Micro-units to Stripe's decimal cents: 1,000 micros = 0.1 cent. */
  static BigDecimal cents(long micros) {
    return BigDecimal.valueOf(micros).movePointLeft(4).stripTrailingZeros();
  }

  private static Map<String, String> meta(UUID tenantId, UUID planId) {
    return Map.of("turnpike_tenant_id", tenantId.toString(), "turnpike_plan_id", planId.toString());
  }
}
