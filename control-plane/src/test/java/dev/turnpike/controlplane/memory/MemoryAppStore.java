package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeyStore.StoredKey;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.plan.UsagePlan;
import dev.turnpike.controlplane.problem.ApiFailure;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link AppStore} on the in-memory database. Deleted apps are not found. */
final class MemoryAppStore implements AppStore {
  static final String APPS = "apps";
  static final String SUBSCRIPTIONS = "subscriptions";

  private final MemoryDb.Table<App> apps;
  private final MemoryDb.Table<Subscription> subscriptions;
  private final MemoryDb.Table<UsagePlan> plans;
  private final MemoryDb.Table<StoredKey> keys;

  MemoryAppStore(MemoryDb.Tx tx, UUID tenantId) {
    this.apps = tx.table(APPS, tenantId, App.class);
    this.subscriptions = tx.table(SUBSCRIPTIONS, tenantId, Subscription.class);
    this.plans = tx.table(MemoryPlanStore.PLANS, tenantId, UsagePlan.class);
    this.keys = tx.table(MemoryApiKeyStore.KEYS, tenantId, StoredKey.class);
  }

  static boolean live(App app) {
    return !app.status().equals("deleted");
  }

  @Override
  public void insertApp(App app) {
    apps.put(app.id(), app);
  }

  @Override
  public Optional<App> findApp(UUID appId) {
    return apps.get(appId).filter(MemoryAppStore::live);
  }

  @Override
  public Optional<App> lockApp(UUID appId) {
    return findApp(appId);
  }

  @Override
  public List<App> listApps() {
    return apps.where(
        MemoryAppStore::live, Comparator.comparing(App::createdAt).thenComparing(App::id));
  }

  @Override
  public int lockAndCountAppsOf(UUID userId) {
    return apps.count(a -> live(a) && a.ownerUserId().equals(userId));
  }

  @Override
  public int countApps() {
    return apps.count(MemoryAppStore::live);
  }

  @Override
  public void updateApp(App app) {
    apps.update(
        a -> a.id().equals(app.id()),
        old ->
            new App(
                old.id(),
                app.name(),
                app.description(),
                old.ownerUserId(),
                app.status(),
                old.createdAt(),
                app.updatedAt()));
  }

  @Override
  public Optional<PlanTerms> planTerms(UUID planId) {
    return plans
        .get(planId)
        .map(
            p ->
                new PlanTerms(
                    p.status(), p.requiresApproval(), Pricing.isPaidModel(p.pricing().model())));
  }

  @Override
  public void insertSubscription(Subscription s) {
    // One live subscription per app and plan (a partial unique index).
    if (subscriptions.exists(
        o ->
            o.appId().equals(s.appId())
                && o.planId().equals(s.planId())
                && !o.status().equals("cancelled"))) {
      throw ApiFailure.conflict("The app already has a live subscription to this plan");
    }
    subscriptions.put(s.id(), s);
  }

  @Override
  public Optional<Subscription> findSubscription(UUID appId, UUID subscriptionId) {
    return subscriptions
        .get(subscriptionId)
        .filter(s -> s.appId().equals(appId) && findApp(appId).isPresent());
  }

  @Override
  public List<Subscription> listSubscriptions(UUID appId) {
    return subscriptions.where(
        s -> s.appId().equals(appId),
        Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id));
  }

  @Override
  public void updateSubscription(Subscription s) {
    Subscription old =
        subscriptions.get(s.id()).orElseThrow(() -> ApiFailure.notFound("Subscription " + s.id()));
    if (!s.status().equals("cancelled")
        && subscriptions.exists(
            o ->
                !o.id().equals(s.id())
                    && o.appId().equals(old.appId())
                    && o.planId().equals(old.planId())
                    && !o.status().equals("cancelled"))) {
      throw new IllegalStateException("a second live subscription (unique index)");
    }
    subscriptions.put(
        s.id(),
        new Subscription(
            old.id(),
            old.appId(),
            old.planId(),
            s.status(),
            s.startedAt(),
            s.endedAt(),
            old.createdAt(),
            s.updatedAt()));
  }

  @Override
  public int revokeKeys(UUID appId, Instant now) {
    return keys.update(
        k -> k.key().appId().equals(appId) && !k.key().status().equals("revoked"),
        k -> new StoredKey(withStatus(k.key(), "revoked", now), k.hash()));
  }

  private static ApiKey withStatus(ApiKey key, String status, Instant revokedAt) {
    return new ApiKey(
        key.id(),
        key.appId(),
        key.name(),
        key.prefix(),
        status,
        key.createdAt(),
        key.expiresAt(),
        key.lastUsedAt(),
        revokedAt,
        key.rotatedFrom());
  }
}
