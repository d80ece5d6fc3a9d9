package dev.turnpike.controlplane.apikey;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/**
 * Publishes what the gateway knows of an app's keys: status (by {@link KeyStatus#published}, from
 * the key's stored status, its app's status and the app's billing standing), plans, expiry.
 */
public final class KeyPublisher {
  private final TxStore<ApiKeyStore> apiKeyStore;

  public KeyPublisher(TxStore<ApiKeyStore> apiKeyStore) {
    this.apiKeyStore = apiKeyStore;
  }

  /** Republishes every live key of the app; call with the app locked. */
  public void publishApp(TenantTx tx, UUID appId, String appStatus) {
    ApiKeyStore store = apiKeyStore.in(tx);
    App app = app(store, appId, appStatus);
    for (ApiKeyStore.StoredKey stored : store.keysOf(appId)) {
      if (!KeyStatus.republishedWithApp(stored.key().status())) {
        continue;
      }
      tx.config().key(record(tx, stored, app));
    }
  }

  public void publish(TenantTx tx, ApiKeyStore.StoredKey key, String appStatus) {
    tx.config().key(record(tx, key, app(apiKeyStore.in(tx), key.key().appId(), appStatus)));
  }

  /** Takes every key of a deleted app off the gateway. */
  public void withdrawApp(TenantTx tx, UUID appId) {
    for (ApiKeyStore.StoredKey stored : apiKeyStore.in(tx).keysOf(appId)) {
      tx.config().keyRemoved(stored.hash());
    }
  }

  /** What a key record takes from the key's app. */
  private record App(String status, BillingStanding.Standing standing, List<String> plans) {}

  private static App app(ApiKeyStore store, UUID appId, String appStatus) {
    return new App(
        appStatus,
        store.billingStanding(appId),
        store.activePlanIds(appId).stream().map(UUID::toString).sorted().toList());
  }

  private static KeyRecord record(TenantTx tx, ApiKeyStore.StoredKey stored, App app) {
    ApiKey key = stored.key();
    return new KeyRecord(
        KeyRecord.SCHEMA_VERSION,
        stored.hash(),
        key.id().toString(),
        key.prefix(),
        tx.tenantId().toString(),
        key.appId().toString(),
        app.plans(),
        KeyStatus.published(key.status(), app.status(), app.standing()),
        key.expiresAt());
  }
}
