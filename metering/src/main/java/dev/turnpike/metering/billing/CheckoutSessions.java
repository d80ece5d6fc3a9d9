package dev.turnpike.metering.billing;

import dev.turnpike.metering.stripe.Customers;
import dev.turnpike.metering.stripe.PlanPrices;
import dev.turnpike.metering.stripe.StripeApi;
import dev.turnpike.metering.stripe.StripeFailure;
import dev.turnpike.metering.stripe.StripeLinks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts paying for a subscription: makes sure the app owner is a Stripe Customer and the plan is
 * mirrored in Stripe, then creates a Checkout Session in subscription mode whose metadata (on the
 * session and on the Stripe subscription it creates) names the tenant and our subscription; the
 * {@code checkout.session.completed} webhook activates it.
 */
public final class CheckoutSessions {
  public record Input(UUID tenantId, UUID subscriptionId, String successUrl, String cancelUrl) {}

  public record Output(String sessionId, String url) {}

  private final CheckoutStore store;
  private final StripeApi stripe;
  private final StripeLinks links;
  private final Customers customers;
  private final PlanPrices prices;

  public CheckoutSessions(CheckoutStore store, StripeApi stripe, StripeLinks links) {
    this.store = store;
    this.stripe = stripe;
    this.links = links;
    this.customers = new Customers(stripe, links);
    this.prices = new PlanPrices(stripe, links);
  }

  public Output create(Input in) {
    requireUrl("successUrl", in.successUrl());
    requireUrl("cancelUrl", in.cancelUrl());
    CheckoutTarget t =
        store
            .target(in.tenantId(), in.subscriptionId())
            .orElseThrow(
                () ->
                    new BillingProblem(
                        404,
                        "subscription-not-found",
                        "Subscription not found",
                        "No subscription " + in.subscriptionId() + " in tenant " + in.tenantId()));
    if (t.status().equals("cancelled")) {
      throw conflict("The subscription is cancelled; subscribe again to pay for the plan");
    }
    if (links.find("subscription", t.subscriptionId(), "subscription").isPresent()) {
      throw conflict("The subscription is already paid through Stripe");
    }
    if (t.pricing().costsNothing()) {
      throw conflict("Plan " + t.planName() + " is free; its subscriptions need no checkout");
    }
    try {
      String customer =
          customers.ensure(t.tenantId(), t.ownerUserId(), t.ownerEmail(), t.ownerName());
      PlanPrices.Mirrored mirrored =
          prices.ensure(t.tenantId(), t.planId(), t.planName(), t.pricing());
      List<StripeApi.LineItem> items = new ArrayList<>();
      if (mirrored.flatPriceId() != null) {
        items.add(new StripeApi.LineItem(mirrored.flatPriceId(), 1L));
      }
      if (mirrored.meteredPriceId() != null) {
        items.add(new StripeApi.LineItem(mirrored.meteredPriceId(), null));
      }
      Map<String, String> metadata =
          Map.of(
              "tenant_id", t.tenantId().toString(),
              "subscription_id", t.subscriptionId().toString(),
              "app_id", t.appId().toString());
      // A fresh key per checkout request: retries of this call replay, a new request (the
      // developer came back later) gets a new session.
      StripeApi.CheckoutSession session =
          stripe.createCheckoutSession(
              "checkout_" + t.subscriptionId() + "_" + UUID.randomUUID(),
              new StripeApi.CheckoutSpec(
                  customer,
                  items,
                  in.successUrl(),
                  in.cancelUrl(),
                  t.subscriptionId().toString(),
                  metadata));
      links.relink(
          t.tenantId(), "subscription", t.subscriptionId(), "checkout_session", session.id());
      return new Output(session.id(), session.url());
    } catch (StripeFailure e) {
      throw new BillingProblem(502, "stripe-failed", "Stripe refused or failed", e.getMessage());
    }
  }

  private static BillingProblem conflict(String detail) {
    return new BillingProblem(
        409, "checkout-not-possible", "No checkout for this subscription", detail);
  }

  private static void requireUrl(String field, String value) {
    try {
      // Stripe fills in {CHECKOUT_SESSION_ID}; it is not a valid URI character sequence itself.
      String concrete = value == null ? "" : value.replace("{CHECKOUT_SESSION_ID}", "cs");
      URI uri = new URI(concrete);
      if (uri.isAbsolute()
          && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new BillingProblem(
        400, "invalid-request", "Invalid request", field + " must be an absolute http(s) URL");
  }
}
