package dev.turnpike.controlplane.app;

import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.controlplane.apikey.KeyPublisher;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/**
 * Use cases of an app's subscriptions. A subscription to a plan that needs approval waits for an
 * owner or admin; one to a paid plan waits for the developer's payment through checkout (after the
 * approval, when the plan asks for both), which billing's webhooks turn into {@code active}. Nobody
 * here makes a paid subscription active: not its creation, not its approval. An active one adds the
 * plan to every key of the app at the gateway, and cancelling takes it off again.
 */
public final class Subscriptions {
  public record CreateSubscription(UUID planId) {}

  private final KeyPublisher keys;
  private final TxStore<AppStore> appStore;

  public Subscriptions(TxStore<AppStore> appStore, KeyPublisher keys) {
    this.appStore = appStore;
    this.keys = keys;
  }

  public Subscription create(TenantTx tx, UUID appId, CreateSubscription in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    appStore.in(tx).findApp(appId).orElseThrow(() -> Apps.notFound(appId));
    Validation v = new Validation();
    v.required("/planId", in.planId());
    v.throwIfInvalid();
    AppStore store = appStore.in(tx);
    App app = store.lockApp(appId).orElseThrow(() -> Apps.notFound(appId));
    AppStore.PlanTerms terms =
        store
            .planTerms(in.planId())
            .orElseThrow(() -> ApiFailure.invalid("/planId", "is not a usage plan of this tenant"));
    if (!terms.status().equals("active")) {
      throw ApiFailure.invalid("/planId", "is archived and takes no new subscriptions");
    }
    SubscriptionStatus status =
        terms.requiresApproval()
            ? SubscriptionStatus.PENDING_APPROVAL
            : terms.paid() ? SubscriptionStatus.PENDING_PAYMENT : SubscriptionStatus.ACTIVE;
    boolean active = status == SubscriptionStatus.ACTIVE;
    Subscription subscription =
        new Subscription(
            UUID.randomUUID(),
            appId,
            in.planId(),
            status.wire(),
            active ? tx.now() : null,
            null,
            tx.now(),
            tx.now());
    store.insertSubscription(subscription);
    if (active) {
      keys.publishApp(tx, appId, app.status());
    }
    tx.audit().record("subscription.create", "subscription", subscription.id(), null, subscription);
    return subscription;
  }

  public List<Subscription> list(TenantTx tx, UUID appId) {
    AppStore store = appStore.in(tx);
    store.findApp(appId).orElseThrow(() -> Apps.notFound(appId));
    return store.listSubscriptions(appId);
  }

  public Subscription get(TenantTx tx, UUID appId, UUID subscriptionId) {
    return appStore
        .in(tx)
        .findSubscription(appId, subscriptionId)
        .orElseThrow(() -> notFound(subscriptionId));
  }

  public Subscription approve(TenantTx tx, UUID appId, UUID subscriptionId) {
    AppStore store = appStore.in(tx);
    App app = store.lockApp(appId).orElseThrow(() -> Apps.notFound(appId));
    Subscription before =
        store.findSubscription(appId, subscriptionId).orElseThrow(() -> notFound(subscriptionId));
    if (!before.status().equals(SubscriptionStatus.PENDING_APPROVAL.wire())) {
      throw ApiFailure.conflict(
          "Only a subscription pending approval can be approved; this one is " + before.status());
    }
    // A paid plan is approved for payment, not given away: the developer pays through checkout.
    boolean paid = store.planTerms(before.planId()).map(AppStore.PlanTerms::paid).orElse(true);
    Subscription after =
        new Subscription(
            before.id(),
            appId,
            before.planId(),
            paid ? SubscriptionStatus.APPROVED.wire() : SubscriptionStatus.ACTIVE.wire(),
            paid ? null : tx.now(),
            null,
            before.createdAt(),
            tx.now());
    store.updateSubscription(after);
    if (!paid) {
      keys.publishApp(tx, appId, app.status());
    }
    tx.audit().record("subscription.approve", "subscription", subscriptionId, before, after);
    return after;
  }

  public Subscription cancel(TenantTx tx, UUID appId, UUID subscriptionId) {
    AppStore store = appStore.in(tx);
    App app = store.lockApp(appId).orElseThrow(() -> Apps.notFound(appId));
    Subscription before =
        store.findSubscription(appId, subscriptionId).orElseThrow(() -> notFound(subscriptionId));
    if (before.status().equals("cancelled")) {
      return before;
    }
    Subscription after =
        new Subscription(
            before.id(),
            appId,
            before.planId(),
            "cancelled",
            before.startedAt(),
            tx.now(),
            before.createdAt(),
            tx.now());
    store.updateSubscription(after);
    keys.publishApp(tx, appId, app.status());
    tx.audit().record("subscription.cancel", "subscription", subscriptionId, before, after);
    return after;
  }

  private static ApiFailure notFound(UUID subscriptionId) {
    return ApiFailure.notFound("Subscription " + subscriptionId);
  }
}
