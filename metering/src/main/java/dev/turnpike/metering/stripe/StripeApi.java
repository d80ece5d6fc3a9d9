package dev.turnpike.metering.stripe;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Stripe calls billing makes. Every call carries an idempotency key chosen by the caller, so a
 * retry (here, or after a crash) never creates a second object or bills twice. Calls block: run
 * them off the event loop.
 *
 * @see StripeFailure for what a call throws
 */
public interface StripeApi {
  String createCustomer(String idempotencyKey, String email, String name, Map<String, String> meta);

  /** A Billing Meter summing the {@code value} of events named {@code eventName} per customer. */
  String createMeter(String idempotencyKey, String displayName, String eventName);

  String createPrice(String idempotencyKey, PriceSpec price);

  CheckoutSession createCheckoutSession(String idempotencyKey, CheckoutSpec checkout);

  void createMeterEvent(
      String idempotencyKey,
      String eventName,
      String identifier,
      String customerId,
      long value,
      Instant timestamp);

  /** A created Checkout Session: where to send the payer. */
  record CheckoutSession(String id, String url) {}

  /** A price to subscribe to; {@code quantity} null for a metered price (usage sets it). */
  record LineItem(String priceId, Long quantity) {}

  /** A Checkout Session in subscription mode. */
  record CheckoutSpec(
      String customerId,
      List<LineItem> items,
      String successUrl,
      String cancelUrl,
      String clientReferenceId,
      Map<String, String> metadata) {}

  /**
   * A monthly recurring price, with its product created inline.
   *
   * @param unitAmountCents a licensed price's amount; null for a metered one
   * @param meterId the Billing Meter of a metered price; null for a licensed one
   * @param unitAmountDecimalCents a per-unit metered price (fractions of a cent allowed)
   * @param tiers a tiered metered price's tiers; empty otherwise
   * @param tiersMode {@code graduated} or {@code volume} with tiers
   */
  record PriceSpec(
      String currency,
      String productName,
      Long unitAmountCents,
      String meterId,
      BigDecimal unitAmountDecimalCents,
      List<Tier> tiers,
      String tiersMode,
      Map<String, String> metadata) {
    /** A Stripe tier: {@code upTo} null for "inf". */
    public record Tier(Long upTo, BigDecimal unitAmountDecimalCents, long flatAmount) {}
  }
}
