package dev.turnpike.controlplane.memory;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.Subscription;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link ApiKeyStore} on the in-memory database; a key's hash is unique across tenants. */
final class MemoryApiKeyStore implements ApiKeyStore {
  static final String KEYS = "api_keys";

  private static final Comparator<StoredKey> ORDER =
      Comparator.comparing((StoredKey k) -> k.key().createdAt()).thenComparing(k -> k.key().id());

  private final MemoryDb.Tx tx;
  private final MemoryDb.Table<StoredKey> keys;
  private final MemoryDb.Table<App> apps;
  private final MemoryDb.Table<Subscription> subscriptions;
  private final MemoryDb.Table<MemoryStandingStore.Applied> standings;

  MemoryApiKeyStore(MemoryDb.Tx tx, UUID tenantId) {
    this.tx = tx;
    this.keys = tx.table(KEYS, tenantId, StoredKey.class);
    this.apps = tx.table(MemoryAppStore.APPS, tenantId, App.class);
    this.subscriptions = tx.table(MemoryAppStore.SUBSCRIPTIONS, tenantId, Subscription.class);
    this.standings =
        tx.table(MemoryStandingStore.STANDINGS, tenantId, MemoryStandingStore.Applied.class);
  }

  @Override
  public Optional<String> lockApp(UUID appId) {
    return apps.get(appId).filter(MemoryAppStore::live).map(App::status);
  }

  @Override
  public BillingStanding.Standing billingStanding(UUID appId) {
    return standings
        .get(appId)
        .map(MemoryStandingStore.Applied::standing)
        .orElse(BillingStanding.Standing.GOOD);
  }

  @Override
  public List<UUID> activePlanIds(UUID appId) {
    return subscriptions.where(s -> s.appId().equals(appId) && s.status().equals("active")).stream()
        .map(Subscription::planId)
        .distinct()
        .toList();
  }

  @Override
  public void insert(ApiKey key, String hash) {
    if (!insertIfAbsent(key, hash)) {
      throw new IllegalStateException("a key with this hash exists (unique index)");
    }
  }

  @Override
  public boolean insertIfAbsent(ApiKey key, String hash) {
    if (tx.everyTenant(KEYS, StoredKey.class).exists(k -> k.hash().equals(hash))) {
      return false;
    }
    keys.put(key.id(), new StoredKey(key, hash));
    return true;
  }

  @Override
  public Optional<StoredKey> find(UUID appId, UUID keyId) {
    return keys.get(keyId).filter(k -> k.key().appId().equals(appId));
  }

  @Override
  public int countLiveKeys(UUID appId, Instant now, UUID except) {
    List<ApiKey> ofApp = list(appId);
    return (int)
        ofApp.stream()
            .filter(k -> !k.status().equals("revoked"))
            .filter(k -> k.expiresAt() == null || k.expiresAt().isAfter(now))
            .filter(k -> except == null || !k.id().equals(except))
            .filter(
                k ->
                    ofApp.stream()
                        .noneMatch(
                            successor ->
                                k.id().equals(successor.rotatedFrom())
                                    && !successor.status().equals("revoked")))
            .count();
  }

  @Override
  public List<ApiKey> list(UUID appId) {
    return keysOf(appId).stream().map(StoredKey::key).toList();
  }

  @Override
  public List<StoredKey> keysOf(UUID appId) {
    return keys.where(k -> k.key().appId().equals(appId), ORDER);
  }

  @Override
  public void update(ApiKey key) {
    keys.update(
        k -> k.key().id().equals(key.id()),
        k ->
            new StoredKey(
                new ApiKey(
                    k.key().id(),
                    k.key().appId(),
                    k.key().name(),
                    k.key().prefix(),
                    key.status(),
                    k.key().createdAt(),
                    key.expiresAt(),
                    k.key().lastUsedAt(),
                    key.revokedAt(),
                    k.key().rotatedFrom()),
                k.hash()));
  }
}
