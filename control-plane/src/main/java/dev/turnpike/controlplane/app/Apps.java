package dev.turnpike.controlplane.app;

import dev.turnpike.controlplane.apikey.KeyPublisher;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tenant.TenantCaps;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Use cases of apps. Suspending or reactivating an app republishes its keys; deleting one cancels
 * its subscriptions, revokes its keys and takes them off the gateway. Deleted apps stay in the
 * database for invoices and the audit log, but are no longer found. While its owner is blocked an
 * active app is {@code blocked}: its keys are refused until the owner is unblocked, and nothing
 * else turns it back on.
 */
public final class Apps {
  public record CreateApp(String name, String description) {}

  public record UpdateApp(String name, String description, String status) {}

  /** The status of an app whose developer is blocked. */
  public static final String BLOCKED = "blocked";

  private final KeyPublisher keys;
  private final TenantCaps caps;
  private final OwnerLimits limits;
  private final TxStore<AppStore> appStore;

  public Apps(TxStore<AppStore> appStore, KeyPublisher keys, TenantCaps caps, OwnerLimits limits) {
    this.appStore = appStore;
    this.keys = keys;
    this.caps = caps;
    this.limits = limits;
  }

  public App create(TenantTx tx, CreateApp in) {
    Validation v = new Validation();
    if (v.required("/name", in.name())) {
      v.length("/name", in.name(), 1, 200);
    }
    v.length("/description", in.description(), 0, 4000);
    v.throwIfInvalid();
    AppStore store = appStore.in(tx);
    int cap = caps.appsPerDeveloper(tx);
    int held = store.lockAndCountAppsOf(tx.caller().userId());
    if (held >= cap) {
      throw ApiFailure.conflict(
          "You have "
              + held
              + (held == 1 ? " app" : " apps")
              + " here and may hold at most "
              + cap
              + " (the API owner's limit); delete an app before creating another");
    }
    limits.check(Limit.APPS_PER_TENANT, store.countApps() + 1L, null);
    App app =
        new App(
            UUID.randomUUID(),
            in.name(),
            in.description(),
            tx.caller().userId(),
            "active",
            tx.now(),
            tx.now());
    store.insertApp(app);
    tx.audit().record("app.create", "app", app.id(), null, app);
    return app;
  }

  public List<App> list(TenantTx tx) {
    return appStore.in(tx).listApps();
  }

  public App get(TenantTx tx, UUID appId) {
    return appStore.in(tx).findApp(appId).orElseThrow(() -> notFound(appId));
  }

  public App update(TenantTx tx, UUID appId, UpdateApp in) {
    get(tx, appId); // The resource must exist before its input is judged: 404 comes before 400.
    Validation v = new Validation();
    if (v.required("/name", in.name())) {
      v.length("/name", in.name(), 1, 200);
    }
    v.length("/description", in.description(), 0, 4000);
    v.check(
        "/status",
        in.status(),
        Set.of("active", "suspended")::contains,
        "must be active or suspended");
    v.throwIfInvalid();
    AppStore store = appStore.in(tx);
    App before = store.lockApp(appId).orElseThrow(() -> notFound(appId));
    if (before.status().equals(BLOCKED) && in.status() != null && !in.status().equals(BLOCKED)) {
      throw ApiFailure.conflict(
          "The app's developer is blocked, which holds all their apps; unblock the developer"
              + " instead");
    }
    App after =
        new App(
            appId,
            in.name(),
            in.description(),
            before.ownerUserId(),
            in.status() == null ? before.status() : in.status(),
            before.createdAt(),
            tx.now());
    store.updateApp(after);
    if (!after.status().equals(before.status())) {
      keys.publishApp(tx, appId, after.status());
    }
    tx.audit().record("app.update", "app", appId, before, after);
    return after;
  }

  /**
   * Holds every active app of a blocked developer; their keys stop at the gateway. Apps the owner
   * suspended stay suspended.
   *
   * @return how many apps were held
   */
  public int blockAppsOf(TenantTx tx, UUID userId) {
    return changeAppsOf(tx, userId, "active", BLOCKED, "app.block");
  }

  /** Gives back the apps the block held, and no others; their keys work again. */
  public int unblockAppsOf(TenantTx tx, UUID userId) {
    return changeAppsOf(tx, userId, BLOCKED, "active", "app.unblock");
  }

  private int changeAppsOf(TenantTx tx, UUID userId, String from, String to, String action) {
    AppStore store = appStore.in(tx);
    int changed = 0;
    for (App listed : store.listApps()) {
      if (!listed.ownerUserId().equals(userId)) {
        continue;
      }
      App before = store.lockApp(listed.id()).orElse(null);
      if (before == null || !before.status().equals(from)) {
        continue;
      }
      App after =
          new App(
              before.id(),
              before.name(),
              before.description(),
              before.ownerUserId(),
              to,
              before.createdAt(),
              tx.now());
      store.updateApp(after);
      keys.publishApp(tx, after.id(), to);
      tx.audit().record(action, "app", after.id(), before, after);
      changed++;
    }
    return changed;
  }

  public void delete(TenantTx tx, UUID appId) {
    AppStore store = appStore.in(tx);
    App before = store.lockApp(appId).orElseThrow(() -> notFound(appId));
    for (Subscription s : store.listSubscriptions(appId)) {
      if (!s.status().equals("cancelled")) {
        store.updateSubscription(
            new Subscription(
                s.id(),
                s.appId(),
                s.planId(),
                "cancelled",
                s.startedAt(),
                tx.now(),
                s.createdAt(),
                tx.now()));
      }
    }
    store.revokeKeys(appId, tx.now());
    keys.withdrawApp(tx, appId);
    App after =
        new App(
            appId,
            before.name(),
            before.description(),
            before.ownerUserId(),
            "deleted",
            before.createdAt(),
            tx.now());
    store.updateApp(after);
    tx.audit().record("app.delete", "app", appId, before, null);
  }

  static ApiFailure notFound(UUID appId) {
    return ApiFailure.notFound("App " + appId);
  }
}
