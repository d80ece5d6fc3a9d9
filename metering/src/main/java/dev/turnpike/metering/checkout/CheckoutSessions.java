package dev.turnpike.metering.checkout;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.metering.problem.BillingProblem;
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
 * webhooks activate it once paid. Only a subscription that may be paid gets a session: approved by
 * the owner (or on a plan that needs no approval), not paid yet, and no payment under way.
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
    refuseUnlessPayable(SubscriptionStatus.of(t.status()));
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
      // A failed payment is behind it now: this session's outcome is the one that counts.
      store.reopenAfterFailedPayment(t.tenantId(), t.subscriptionId());
      return new Output(session.id(), session.url());
    } catch (StripeFailure e) {
      throw new BillingProblem(502, "stripe-failed", "Stripe refused or failed", e.getMessage());
    }
  }

  /** Approval comes before payment; one payment at a time; nothing is paid twice. */
  private static void refuseUnlessPayable(SubscriptionStatus status) {
    String why =
        switch (status) {
          case PENDING_APPROVAL ->
              "The subscription waits for the API owner's approval; it can be paid once approved";
          case PAYMENT_PROCESSING ->
              "A payment for the subscription is being processed; wait for its outcome";
          case ACTIVE, SUSPENDED -> "The subscription is already paid through Stripe";
          case CANCELLED -> "The subscription is cancelled; subscribe again to pay for the plan";
          case APPROVED, PENDING_PAYMENT, PAYMENT_FAILED -> null;
        };
    if (why != null) {
      throw conflict(why);
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
