package dev.turnpike.metering.rating;

import java.util.List;

/**
 * What a plan costs per billing period, as the owner defined it on the usage plan.
 *
 * @param flatFeeCents the monthly fee, charged on every model but {@link PriceModel#FREE}
 * @param unitPriceMicros per-request price of {@link PriceModel#PER_REQUEST}, in millionths
 * @param includedRequests requests per period that cost nothing before per-request prices apply
 * @param tiers for graduated and volume pricing, in order; only the last is unbounded
 * @param messagePricePerMillionMicros WebSocket messages' price per million, in millionths (on
 *     every model but {@link PriceModel#FREE}, besides what requests cost)
 * @param connectionMinutePricePerMillionMicros WebSocket connection minutes' price per million, in
 *     millionths, likewise
 */
public record PlanPricing(
    PriceModel model,
    String currency,
    long flatFeeCents,
    long unitPriceMicros,
    long includedRequests,
    List<PriceTier> tiers,
    long messagePricePerMillionMicros,
    long connectionMinutePricePerMillionMicros) {
  /** A plan that prices requests alone. */
  public PlanPricing(
      PriceModel model,
      String currency,
      long flatFeeCents,
      long unitPriceMicros,
      long includedRequests,
      List<PriceTier> tiers) {
    this(model, currency, flatFeeCents, unitPriceMicros, includedRequests, tiers, 0, 0);
  }

  public PlanPricing {
    tiers = List.copyOf(tiers);
    if (flatFeeCents < 0
        || unitPriceMicros < 0
        || includedRequests < 0
        || messagePricePerMillionMicros < 0
        || connectionMinutePricePerMillionMicros < 0) {
      throw new IllegalArgumentException("prices and allowances must not be negative");
    }
    boolean tiered = model == PriceModel.GRADUATED || model == PriceModel.VOLUME;
    if (tiered && tiers.isEmpty()) {
      throw new IllegalArgumentException(model.column() + " pricing needs at least one tier");
    }
    long previous = 0;
    for (int i = 0; i < tiers.size(); i++) {
      Long upTo = tiers.get(i).upTo();
      boolean last = i == tiers.size() - 1;
      if (last != (upTo == null)) {
        throw new IllegalArgumentException("only the last tier is unbounded");
      }
      if (upTo != null && upTo <= previous) {
        throw new IllegalArgumentException("tier bounds must increase");
      }
      previous = upTo == null ? previous : upTo;
    }
  }

  public static PlanPricing free(String currency) {
    return new PlanPricing(PriceModel.FREE, currency, 0, 0, 0, List.of());
  }

  /** True when nothing is ever charged, so no checkout is needed to subscribe. */
  public boolean costsNothing() {
    if (model == PriceModel.FREE) {
      return true;
    }
    boolean usageCharged =
        switch (model) {
          case PER_REQUEST -> unitPriceMicros > 0;
          case GRADUATED, VOLUME ->
              tiers.stream().anyMatch(t -> t.unitPriceMicros() > 0 || t.flatFeeCents() > 0);
          default -> false;
        };
    return flatFeeCents == 0
        && !usageCharged
        && messagePricePerMillionMicros == 0
        && connectionMinutePricePerMillionMicros == 0;
  }
}
