package dev.turnpike.metering.stripe;

import java.util.Map;
import java.util.UUID;

/**
 * One Stripe Customer per app owner (a Turnpike user), created on their first checkout and linked
 * in {@code stripe_links}; the idempotency key is derived from the user, so a retry or a race
 * creates no second customer.
 */
public final class Customers {
  private final StripeApi stripe;
  private final StripeLinks links;

  public Customers(StripeApi stripe, StripeLinks links) {
    this.stripe = stripe;
    this.links = links;
  }

  public String ensure(UUID tenantId, UUID userId, String email, String name) {
    return links
        .find("user", userId, "customer")
        .orElseGet(
            () ->
                links.link(
                    tenantId,
                    "user",
                    userId,
                    "customer",
                    stripe.createCustomer(
                        "customer_user_" + userId,
                        email,
                        name,
                        Map.of("turnpike_user_id", userId.toString()))));
  }
}
