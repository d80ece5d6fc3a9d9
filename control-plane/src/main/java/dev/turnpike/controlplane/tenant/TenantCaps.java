package dev.turnpike.controlplane.tenant;

import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;

/**
 * The caps an owner sets for their developers, within the platform's maximums, and the ones in
 * force: the owner's, or the platform's defaults where they set none. Caps bound what minting costs
 * nothing: keys (each key has its own throttle and quota under a per-key plan) and apps.
 */
public final class TenantCaps {
  /**
   * The caps as the owner set them and as they apply.
   *
   * @param set the owner's own values; null fields take the defaults
   */
  public record View(
      DeveloperCaps set,
      int keysPerApp,
      int appsPerDeveloper,
      int defaultKeysPerApp,
      int defaultAppsPerDeveloper,
      int maxKeysPerApp,
      int maxAppsPerDeveloper) {}

  private final AccountLimits limits;
  private final TxStore<TenantStore> tenantStore;

  public TenantCaps(TxStore<TenantStore> tenantStore, AccountLimits limits) {
    this.tenantStore = tenantStore;
    this.limits = limits;
  }

  public View get(TenantTx tx) {
    return view(tenantStore.in(tx).caps());
  }

  /** Sets both caps; a null clears one back to the default. Lowering a cap removes nothing. */
  public View put(TenantTx tx, DeveloperCaps in) {
    Validation v = new Validation();
    v.range("/keysPerApp", in.keysPerApp(), 1, limits.maxKeysPerApp());
    v.range("/appsPerDeveloper", in.appsPerDeveloper(), 1, limits.maxAppsPerDeveloper());
    v.throwIfInvalid();
    TenantStore store = tenantStore.in(tx);
    DeveloperCaps before = store.caps();
    store.saveCaps(in);
    tx.audit().record("tenant.caps", "tenant", tx.tenantId(), before, in);
    return view(in);
  }

  /** How many keys an app may hold now. */
  public int keysPerApp(TenantTx tx) {
    return get(tx).keysPerApp();
  }

  /** How many apps one person may hold now. */
  public int appsPerDeveloper(TenantTx tx) {
    return get(tx).appsPerDeveloper();
  }

  private View view(DeveloperCaps set) {
    return new View(
        set,
        set.keysPerApp() == null ? limits.defaultKeysPerApp() : set.keysPerApp(),
        set.appsPerDeveloper() == null ? limits.defaultAppsPerDeveloper() : set.appsPerDeveloper(),
        limits.defaultKeysPerApp(),
        limits.defaultAppsPerDeveloper(),
        limits.maxKeysPerApp(),
        limits.maxAppsPerDeveloper());
  }
}
