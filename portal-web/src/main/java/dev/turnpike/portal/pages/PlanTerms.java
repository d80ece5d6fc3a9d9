package dev.turnpike.portal.pages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** A plan's price and limits in words, for the catalog and the subscribe form. */
final class PlanTerms {
  private PlanTerms() {}

  /** Adds {@code price} and {@code limits} to each plan of the array. */
  static JsonArray describe(JsonArray plans) {
    JsonArray out = new JsonArray();
    for (Object p : plans) {
      JsonObject plan = ((JsonObject) p).copy();
      plan.put("price", price(plan.getJsonObject("pricing")));
      plan.put("limits", limits(plan));
      out.add(plan);
    }
    return out;
  }

  static String price(JsonObject pricing) {
    if (pricing == null || "free".equals(pricing.getString("model"))) {
      return "Free";
    }
    String currency = pricing.getString("currency", "usd").toUpperCase(Locale.ROOT);
    long flat = pricing.getLong("flatFeeCents", 0L);
    long unit = pricing.getLong("unitPriceMicros", 0L);
    long included = pricing.getLong("includedRequests", 0L);
    StringBuilder text = new StringBuilder();
    switch (pricing.getString("model")) {
      case "flat" -> text.append(money(flat, currency)).append(" per month");
      case "per_request" -> {
        if (flat > 0) {
          text.append(money(flat, currency)).append(" per month + ");
        }
        text.append(micros(unit, currency)).append(" per request");
      }
      default -> {
        text.append("Tiered: ");
        JsonArray tiers = pricing.getJsonArray("tiers", new JsonArray());
        for (int i = 0; i < tiers.size(); i++) {
          JsonObject tier = tiers.getJsonObject(i);
          Long upTo = tier.getLong("upTo");
          text.append(i == 0 ? "" : ", ")
              .append(micros(tier.getLong("unitPriceMicros", 0L), currency))
              .append(upTo == null ? " after that" : " up to " + upTo);
        }
      }
    }
    if (included > 0) {
      text.append(" (").append(included).append(" requests included)");
    }
    return text.toString();
  }

  static String limits(JsonObject plan) {
    StringBuilder text = new StringBuilder();
    JsonObject quota = plan.getJsonObject("quota");
    if (quota != null) {
      text.append(quota.getLong("limit"))
          .append(" requests per ")
          .append(quota.getString("period", "").toLowerCase(Locale.ROOT));
    }
    JsonObject throttle = plan.getJsonObject("throttle");
    if (throttle != null) {
      text.append(text.isEmpty() ? "" : ", ")
          .append(throttle.getValue("rateLimit"))
          .append(" requests/s (burst ")
          .append(throttle.getValue("burstLimit"))
          .append(")");
    }
    return text.isEmpty() ? "No limits" : text.toString();
  }

  private static String money(long cents, String currency) {
    return BigDecimal.valueOf(cents, 2).toPlainString() + " " + currency;
  }

  private static String micros(long micros, String currency) {
    return BigDecimal.valueOf(micros, 6)
            .setScale(6, RoundingMode.UNNECESSARY)
            .stripTrailingZeros()
            .toPlainString()
        + " "
        + currency;
  }
}
