package dev.turnpike.metering.rating;

import java.util.Locale;

/** How a plan turns a period's requests into money, as {@code usage_plans.pricing_model} says. */
public enum PriceModel {
  FREE,
  FLAT,
  PER_REQUEST,
  GRADUATED,
  VOLUME;

  public static PriceModel fromColumn(String column) {
    return valueOf(column.toUpperCase(Locale.ROOT));
  }

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the bill depends on the number of requests, so a Stripe Billing Meter is needed. */
  public boolean usagePriced() {
    return this == PER_REQUEST || this == GRADUATED || this == VOLUME;
  }
}
