package dev.turnpike.controlplane.plan;

import java.util.List;

/**
 * What a plan costs. Money is in minor units (cents); per-request prices in micro-units so a price
 * can be a fraction of a cent.
 *
 * @param model {@code free}, {@code flat}, {@code per_request}, {@code graduated} or {@code volume}
 * @param includedRequests requests per period before per-request prices apply
 * @param tiers for graduated and volume pricing, in order; the last has no upper bound
 * @param messagePricePerMillionMicros WebSocket messages' price per million, in micro-units
 *     (1000000 is 1.00 per million), charged besides requests on every model but free
 * @param connectionMinutePricePerMillionMicros WebSocket connection minutes' price per million,
 *     likewise
 */
public record Pricing(
    String model,
    String currency,
    long flatFeeCents,
    long unitPriceMicros,
    long includedRequests,
    List<PriceTier> tiers,
    long messagePricePerMillionMicros,
    long connectionMinutePricePerMillionMicros) {
  public Pricing {
    tiers = List.copyOf(tiers);
  }

  /** Prices of requests alone. */
  public Pricing(
      String model,
      String currency,
      long flatFeeCents,
      long unitPriceMicros,
      long includedRequests,
      List<PriceTier> tiers) {
    this(model, currency, flatFeeCents, unitPriceMicros, includedRequests, tiers, 0, 0);
  }

  /** One tier; {@code upTo} null means unbounded. */
  public record PriceTier(Long upTo, long unitPriceMicros, long flatFeeCents) {}

  /**
   * Whether subscribers pay through billing's checkout: every model but {@code free}. The one rule
   * the portal's catalog and subscriptions share.
   */
  public static boolean isPaidModel(String model) {
    return !"free".equals(model);
  }

  public static Pricing free() {
    return new Pricing("free", "usd", 0, 0, 0, List.of());
  }
}
