package dev.turnpike.controlplane.app;

import dev.turnpike.controlplane.apikey.KeyPublisher;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Use cases of apps. Suspending or reactivating an app republishes its keys; deleting one cancels
 * its subscriptions, revokes its keys and takes them off the gateway. Deleted apps stay in the
 * database for invoices and the audit log, but are no longer found.
 */
public final class Apps {
  public record CreateApp(String name, String description) {}

  public record UpdateApp(String name, String description, String status) {}

  private final KeyPublisher keys;
  private final OwnerLimits limits;

  public Apps(KeyPublisher keys, OwnerLimits limits) {
    this.keys = keys;
    this.limits = limits;
  }

  public App create(TenantTx tx, CreateApp in) {
    Validation v = new Validation();
    if (v.required("/name", in.name())) {
      v.length("/name", in.name(), 1, 200);
    }
    v.length("/description", in.description(), 0, 4000);
    v.throwIfInvalid();
    limits.check(Limit.APPS_PER_TENANT, tx.store(AppStore.class).countApps() + 1L, null);
    App app =
        new App(
            UUID.randomUUID(),
            in.name(),
            in.description(),
            tx.caller().userId(),
            "active",
            tx.now(),
            tx.now());
    tx.store(AppStore.class).insertApp(app);
    tx.audit().record("app.create", "app", app.id(), null, app);
    return app;
  }

  public List<App> list(TenantTx tx) {
    return tx.store(AppStore.class).listApps();
  }

  public App get(TenantTx tx, UUID appId) {
    return tx.store(AppStore.class).findApp(appId).orElseThrow(() -> notFound(appId));
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
    AppStore store = tx.store(AppStore.class);
    App before = store.lockApp(appId).orElseThrow(() -> notFound(appId));
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

  public void delete(TenantTx tx, UUID appId) {
    AppStore store = tx.store(AppStore.class);
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
