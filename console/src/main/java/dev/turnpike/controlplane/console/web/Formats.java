package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.plan.Pricing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/** How templates print times, ids and prices ({@code ${fmt.when(...)}} and so on). */
public final class Formats {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public String when(Instant instant) {
    return instant == null ? "—" : WHEN.format(instant);
  }

  public String shortId(Object id) {
    if (id == null) {
      return "—";
    }
    String text = id instanceof UUID uuid ? uuid.toString() : id.toString();
    return text.length() > 8 ? text.substring(0, 8) : text;
  }

  /** A limit as the forms take it: 20 rather than 20.0, 5.5 as it is. */
  public String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** A plan's price in words, e.g. "49 usd / month + 0.002 usd per request". */
  public String price(Pricing pricing) {
    String currency = pricing.currency().toUpperCase(Locale.ROOT);
    return switch (pricing.model()) {
      case "free" -> "Free";
      case "flat" -> FormInput.major(pricing.flatFeeCents(), 2) + " " + currency + " / period";
      case "per_request" ->
          (pricing.flatFeeCents() > 0
                  ? FormInput.major(pricing.flatFeeCents(), 2) + " " + currency + " / period + "
                  : "")
              + FormInput.major(pricing.unitPriceMicros(), 6)
              + " "
              + currency
              + " per request"
              + (pricing.includedRequests() > 0
                  ? " after " + pricing.includedRequests() + " included"
                  : "");
      default -> pricing.model() + ", " + pricing.tiers().size() + " tiers (" + currency + ")";
    };
  }
}
