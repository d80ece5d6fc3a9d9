package dev.turnpike.controlplane.apikey;

import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/** Publishes what the gateway knows of an app's keys: status, plans, expiry. */
public final class KeyPublisher {
  private final TxStore<ApiKeyStore> apiKeyStore;

  public KeyPublisher(TxStore<ApiKeyStore> apiKeyStore) {
    this.apiKeyStore = apiKeyStore;
  }

  /** Republishes every live key of the app; call with the app locked. */
  public void publishApp(TenantTx tx, UUID appId, String appStatus) {
    ApiKeyStore store = apiKeyStore.in(tx);
    List<String> plans = planIds(store, appId);
    for (ApiKeyStore.StoredKey stored : store.keysOf(appId)) {
      if (!KeyStatus.republishedWithApp(stored.key().status())) {
        continue;
      }
      tx.config().key(record(tx, stored, appStatus, plans));
    }
  }

  public void publish(TenantTx tx, ApiKeyStore.StoredKey key, String appStatus) {
    tx.config().key(record(tx, key, appStatus, planIds(apiKeyStore.in(tx), key.key().appId())));
  }

  /** Takes every key of a deleted app off the gateway. */
  public void withdrawApp(TenantTx tx, UUID appId) {
    for (ApiKeyStore.StoredKey stored : apiKeyStore.in(tx).keysOf(appId)) {
      tx.config().keyRemoved(stored.hash());
    }
  }

  private static List<String> planIds(ApiKeyStore store, UUID appId) {
    return store.activePlanIds(appId).stream().map(UUID::toString).sorted().toList();
  }

  private static KeyRecord record(
      TenantTx tx, ApiKeyStore.StoredKey stored, String appStatus, List<String> plans) {
    ApiKey key = stored.key();
    return new KeyRecord(
        KeyRecord.SCHEMA_VERSION,
        stored.hash(),
        key.id().toString(),
        key.prefix(),
        tx.tenantId().toString(),
        key.appId().toString(),
        plans,
        KeyStatus.published(key.status(), appStatus),
        key.expiresAt());
  }
}
