package dev.turnpike.metering.rating;

/**
 * One band of graduated or volume pricing.
 *
 * @param upTo the last request (inclusive, counted after the allowance) this tier covers; null on
 *     the last tier, which has no upper bound
 * @param unitPriceMicros price per request in millionths of the currency unit
 * @param flatFeeCents charged once when usage reaches this tier
 */
public record PriceTier(Long upTo, long unitPriceMicros, long flatFeeCents) {
  public PriceTier {
    if (upTo != null && upTo <= 0) {
      throw new IllegalArgumentException("a tier's upTo must be positive, was " + upTo);
    }
    if (unitPriceMicros < 0 || flatFeeCents < 0) {
      throw new IllegalArgumentException("tier prices must not be negative");
    }
  }
}
