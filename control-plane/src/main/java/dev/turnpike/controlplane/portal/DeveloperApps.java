package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeys;
import dev.turnpike.controlplane.apikey.IssuedKey;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.app.Apps;
import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.app.Subscriptions;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * A developer's own apps, their subscriptions and keys. Every operation first checks that the app
 * is the caller's, answering 404 for anyone else's (whether it exists is not theirs to learn), then
 * runs the same use cases as the management API, so keys reach the gateway the same way.
 */
public final class DeveloperApps {
  public record NewApp(String name, String description) {}

  public record Rename(String name, String description) {}

  /**
   * A subscription with its plan's name, as a developer's app page lists it.
   *
   * @param paid the plan is paid for through checkout (after the owner's approval if it needs one)
   */
  public record SubscriptionView(
      UUID id,
      UUID planId,
      String planName,
      String status,
      java.time.Instant startedAt,
      boolean paid) {}

  /** An app with its subscriptions. */
  public record AppView(
      UUID id,
      String name,
      String description,
      String status,
      java.time.Instant createdAt,
      List<SubscriptionView> subscriptions) {
    public AppView {
      subscriptions = List.copyOf(subscriptions);
    }
  }

  private final Apps apps;
  private final Subscriptions subscriptions;
  private final ApiKeys keys;
  private final TxStore<AppStore> appStore;
  private final TxStore<PlanStore> planStore;

  public DeveloperApps(
      TxStore<AppStore> appStore,
      TxStore<PlanStore> planStore,
      Apps apps,
      Subscriptions subscriptions,
      ApiKeys keys) {
    this.appStore = appStore;
    this.planStore = planStore;
    this.apps = apps;
    this.subscriptions = subscriptions;
    this.keys = keys;
  }

  public List<AppView> list(TenantTx tx) {
    return appStore.in(tx).listApps().stream()
        .filter(app -> app.ownerUserId().equals(tx.caller().userId()))
        .sorted(Comparator.comparing(App::createdAt))
        .map(app -> view(tx, app))
        .toList();
  }

  public AppView get(TenantTx tx, UUID appId) {
    return view(tx, own(tx, appId));
  }

  public AppView create(TenantTx tx, NewApp in) {
    return view(tx, apps.create(tx, new Apps.CreateApp(in.name(), in.description())));
  }

  public AppView rename(TenantTx tx, UUID appId, Rename in) {
    App app = own(tx, appId);
    String description = in.description() == null ? app.description() : in.description();
    return view(tx, apps.update(tx, appId, new Apps.UpdateApp(in.name(), description, null)));
  }

  public void delete(TenantTx tx, UUID appId) {
    own(tx, appId);
    apps.delete(tx, appId);
  }

  /**
   * Subscribes through the management API's own use case: active at once for a free plan that needs
   * no approval; otherwise waiting for the owner's approval, the payment, or both.
   */
  public SubscriptionView subscribe(TenantTx tx, UUID appId, UUID planId) {
    own(tx, appId);
    Subscription created =
        subscriptions.create(tx, appId, new Subscriptions.CreateSubscription(planId));
    return view(tx, created);
  }

  public SubscriptionView subscription(TenantTx tx, UUID appId, UUID subscriptionId) {
    own(tx, appId);
    return view(tx, subscriptions.get(tx, appId, subscriptionId));
  }

  public SubscriptionView cancel(TenantTx tx, UUID appId, UUID subscriptionId) {
    own(tx, appId);
    return view(tx, subscriptions.cancel(tx, appId, subscriptionId));
  }

  public IssuedKey createKey(TenantTx tx, UUID appId, ApiKeys.CreateKey in) {
    own(tx, appId);
    return keys.create(tx, appId, in);
  }

  public List<ApiKey> keys(TenantTx tx, UUID appId) {
    own(tx, appId);
    return keys.list(tx, appId);
  }

  public IssuedKey rotateKey(TenantTx tx, UUID appId, UUID keyId, ApiKeys.RotateKey in) {
    own(tx, appId);
    return keys.rotate(tx, appId, keyId, in);
  }

  public ApiKey revokeKey(TenantTx tx, UUID appId, UUID keyId) {
    own(tx, appId);
    return keys.revoke(tx, appId, keyId);
  }

  /** The caller's app, or 404. */
  public App own(TenantTx tx, UUID appId) {
    return appStore
        .in(tx)
        .findApp(appId)
        .filter(app -> app.ownerUserId().equals(tx.caller().userId()))
        .orElseThrow(() -> notFound(appId));
  }

  private AppView view(TenantTx tx, App app) {
    List<SubscriptionView> subs =
        appStore.in(tx).listSubscriptions(app.id()).stream()
            .filter(s -> !s.status().equals("cancelled"))
            .map(s -> view(tx, s))
            .toList();
    return new AppView(
        app.id(), app.name(), app.description(), app.status(), app.createdAt(), subs);
  }

  private SubscriptionView view(TenantTx tx, Subscription s) {
    java.util.Optional<UsagePlan> plan = planStore.in(tx).find(s.planId());
    return new SubscriptionView(
        s.id(),
        s.planId(),
        plan.map(UsagePlan::name).orElse("(removed plan)"),
        s.status(),
        s.startedAt(),
        plan.map(p -> Pricing.isPaidModel(p.pricing().model())).orElse(false));
  }

  private static ApiFailure notFound(UUID appId) {
    return ApiFailure.notFound("App " + appId);
  }
}
