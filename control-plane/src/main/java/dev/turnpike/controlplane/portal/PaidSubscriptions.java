package dev.turnpike.controlplane.portal;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.problem.Validation;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribing an app from the portal. Approval comes first, then payment: a plan that needs the
 * owner's approval gets a {@code pending_approval} subscription and no checkout, whether it is paid
 * or not; once approved, a paid one is {@code approved} and the developer pays for it here ({@link
 * #resume}). A paid plan without approval gets a {@code pending_payment} subscription, committed
 * first, and then a checkout page from billing, called outside any transaction; if billing fails
 * the pending subscription is cancelled again, so a retry starts clean. Billing's webhooks make a
 * paid subscription active, never this class.
 */
public final class PaidSubscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(PaidSubscriptions.class);

  public record Subscribe(UUID planId, String successUrl, String cancelUrl) {}

  /** Where checkout returns to, for a subscription that waits for payment. */
  public record Pay(String successUrl, String cancelUrl) {}

  /** The subscription, and for a paid plan the page where the developer pays. */
  public record Subscribed(DeveloperApps.SubscriptionView subscription, String checkoutUrl) {}

  private final DeveloperTransactor transactor;
  private final Catalog catalog;
  private final DeveloperApps apps;
  private final CheckoutSessions checkout;

  public PaidSubscriptions(
      DeveloperTransactor transactor,
      Catalog catalog,
      DeveloperApps apps,
      CheckoutSessions checkout) {
    this.transactor = transactor;
    this.catalog = catalog;
    this.apps = apps;
    this.checkout = checkout;
  }

  /** Blocking. */
  public Subscribed subscribe(Caller caller, String slug, UUID appId, Subscribe in) {
    record Started(UUID tenantId, DeveloperApps.SubscriptionView subscription) {}
    Started started =
        transactor.asDeveloper(
            caller,
            slug,
            tx -> {
              apps.own(tx, appId);
              Validation v = new Validation();
              v.required("/planId", in.planId());
              v.throwIfInvalid();
              Catalog.OfferedPlan plan = catalog.offeredPlan(tx, in.planId());
              if (plan.paid()) {
                requireBilling();
                checkUrls(in.successUrl(), in.cancelUrl());
              }
              return new Started(tx.tenantId(), apps.subscribe(tx, appId, plan.id()));
            });
    if (!SubscriptionStatus.of(started.subscription().status()).payable()) {
      return new Subscribed(started.subscription(), null); // active, or waits for approval
    }
    try {
      CheckoutSessions.Session session =
          checkout.create(
              new CheckoutSessions.Request(
                  started.tenantId(),
                  started.subscription().id(),
                  in.successUrl(),
                  in.cancelUrl()));
      return new Subscribed(started.subscription(), session.url());
    } catch (RuntimeException e) {
      LOG.warn(
          "checkout for subscription {} failed, cancelling it: {}",
          started.subscription().id(),
          e.getMessage());
      transactor.asDeveloper(
          caller, slug, tx -> apps.cancel(tx, appId, started.subscription().id()));
      throw e;
    }
  }

  /**
   * A checkout page for a subscription that waits for payment: approved by the owner, needing no
   * approval, or after a failed or cancelled checkout.
   */
  public Subscribed resume(Caller caller, String slug, UUID appId, UUID subscriptionId, Pay in) {
    record Pending(UUID tenantId, DeveloperApps.SubscriptionView subscription) {}
    Pending pending =
        transactor.asDeveloper(
            caller,
            slug,
            tx -> {
              DeveloperApps.SubscriptionView subscription =
                  apps.subscription(tx, appId, subscriptionId);
              SubscriptionStatus status = SubscriptionStatus.of(subscription.status());
              if (status == SubscriptionStatus.PENDING_APPROVAL) {
                throw ApiFailure.conflict(
                    "This subscription waits for the API owner's approval; it can be paid once"
                        + " approved");
              }
              if (!status.payable()) {
                throw ApiFailure.conflict(
                    "Only a subscription waiting for payment can be paid; this one is "
                        + subscription.status());
              }
              requireBilling();
              checkUrls(in.successUrl(), in.cancelUrl());
              return new Pending(tx.tenantId(), subscription);
            });
    CheckoutSessions.Session session =
        checkout.create(
            new CheckoutSessions.Request(
                pending.tenantId(), subscriptionId, in.successUrl(), in.cancelUrl()));
    return new Subscribed(pending.subscription(), session.url());
  }

  private void requireBilling() {
    if (!checkout.configured()) {
      throw new ApiFailure(
          ProblemKind.UNAVAILABLE,
          "Paid plans need billing configured; this platform has no billing service");
    }
  }

  private static void checkUrls(String successUrl, String cancelUrl) {
    Validation urls = new Validation();
    if (urls.required("/successUrl", successUrl)) {
      urls.check("/successUrl", successUrl, Branding::isWebUrl, "must be a URL");
    }
    if (urls.required("/cancelUrl", cancelUrl)) {
      urls.check("/cancelUrl", cancelUrl, Branding::isWebUrl, "must be a URL");
    }
    urls.throwIfInvalid();
  }
}
