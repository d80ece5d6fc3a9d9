package dev.turnpike.controlplane.apikey;

import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tenant.TenantCaps;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Use cases of an app's API keys. Issuing returns the full key once and stores only its hash and
 * prefix; rotating issues a new key and lets the old one live on for a grace period; revoking ends
 * a key at once. Each change publishes the key's gateway record in the same transaction.
 */
public final class ApiKeys {
  public record CreateKey(String name, Instant expiresAt) {}

  public record RotateKey(Long gracePeriodSeconds, Instant expiresAt) {}

  private final ApiKeyGenerator generator;
  private final KeyPublisher publisher;
  private final TenantCaps caps;
  private final Duration defaultGrace;
  private final Duration maxGrace;
  private final TxStore<ApiKeyStore> apiKeyStore;

  public ApiKeys(
      TxStore<ApiKeyStore> apiKeyStore,
      ApiKeyGenerator generator,
      KeyPublisher publisher,
      TenantCaps caps,
      Duration defaultGrace,
      Duration maxGrace) {
    this.apiKeyStore = apiKeyStore;
    this.generator = generator;
    this.publisher = publisher;
    this.caps = caps;
    this.defaultGrace = defaultGrace;
    this.maxGrace = maxGrace;
  }

  public IssuedKey create(TenantTx tx, UUID appId, CreateKey in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiKeyStore.in(tx).lockApp(appId).orElseThrow(() -> appNotFound(appId));
    Validation v = new Validation();
    v.length("/name", in.name(), 1, 200);
    v.check("/expiresAt", in.expiresAt(), e -> e.isAfter(tx.now()), "must be in the future");
    v.throwIfInvalid();
    ApiKeyStore store = apiKeyStore.in(tx);
    String appStatus = store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    requireRoomFor(tx, store, appId, 1, null);
    IssuedKey issued =
        issue(tx, store, appId, in.name(), in.expiresAt(), null, null, "enabled", appStatus);
    tx.audit()
        .record(
            "key.create",
            "api_key",
            issued.id(),
            null,
            store.find(appId, issued.id()).orElseThrow().key());
    return issued;
  }

  public List<ApiKey> list(TenantTx tx, UUID appId) {
    ApiKeyStore store = apiKeyStore.in(tx);
    store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    return store.list(appId);
  }

  public ApiKey get(TenantTx tx, UUID appId, UUID keyId) {
    return apiKeyStore
        .in(tx)
        .find(appId, keyId)
        .map(ApiKeyStore.StoredKey::key)
        .orElseThrow(() -> keyNotFound(keyId));
  }

  public IssuedKey rotate(TenantTx tx, UUID appId, UUID keyId, RotateKey in) {
    get(
        tx, appId,
        keyId); // The resource must exist before its input is judged: 404 comes before 400.
    Validation v = new Validation();
    v.range("/gracePeriodSeconds", in.gracePeriodSeconds(), 0, maxGrace.toSeconds());
    v.check("/expiresAt", in.expiresAt(), e -> e.isAfter(tx.now()), "must be in the future");
    v.throwIfInvalid();
    ApiKeyStore store = apiKeyStore.in(tx);
    String appStatus = store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    ApiKeyStore.StoredKey old = store.find(appId, keyId).orElseThrow(() -> keyNotFound(keyId));
    if (old.key().status().equals("revoked")) {
      throw ApiFailure.conflict("The key is revoked; issue a new key instead");
    }
    // The new key takes the old one's place; rotating a key already rotated adds one.
    requireRoomFor(tx, store, appId, 1, keyId);
    Duration grace =
        in.gracePeriodSeconds() == null
            ? defaultGrace
            : Duration.ofSeconds(in.gracePeriodSeconds());
    Instant graceEnd = tx.now().plus(grace);
    Instant oldExpiry = old.key().expiresAt();
    ApiKey retiring =
        old.key()
            .expiringAt(oldExpiry != null && oldExpiry.isBefore(graceEnd) ? oldExpiry : graceEnd);
    store.update(retiring);
    publisher.publish(tx, new ApiKeyStore.StoredKey(retiring, old.hash()), appStatus);
    // The new key takes over the old one's hold: rotating is for replacing a key, never for
    // turning a disabled or suspended one back into a working one.
    IssuedKey issued =
        issue(
            tx,
            store,
            appId,
            old.key().name(),
            in.expiresAt(),
            keyId,
            retiring,
            old.key().status(),
            appStatus);
    tx.audit().record("key.rotate", "api_key", keyId, old.key(), retiring);
    tx.audit()
        .record(
            "key.create",
            "api_key",
            issued.id(),
            null,
            store.find(appId, issued.id()).orElseThrow().key());
    return issued;
  }

  public ApiKey revoke(TenantTx tx, UUID appId, UUID keyId) {
    ApiKeyStore store = apiKeyStore.in(tx);
    String appStatus = store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    ApiKeyStore.StoredKey stored = store.find(appId, keyId).orElseThrow(() -> keyNotFound(keyId));
    if (stored.key().status().equals("revoked")) {
      return stored.key();
    }
    ApiKey revoked = stored.key().revoked(tx.now());
    store.update(revoked);
    publisher.publish(tx, new ApiKeyStore.StoredKey(revoked, stored.hash()), appStatus);
    tx.audit().record("key.revoke", "api_key", keyId, stored.key(), revoked);
    return revoked;
  }

  /**
   * Turns a key on or off, as API Gateway's {@code enabled} flag does; a disabled key is refused by
   * the gateway until enabled again. Revoked keys stay revoked, and keys suspended for a failed
   * payment are reinstated by the payment, not by hand.
   */
  public ApiKey setEnabled(TenantTx tx, UUID appId, UUID keyId, boolean enabled) {
    ApiKeyStore store = apiKeyStore.in(tx);
    String appStatus = store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    ApiKeyStore.StoredKey stored = store.find(appId, keyId).orElseThrow(() -> keyNotFound(keyId));
    String status = stored.key().status();
    switch (status) {
      case "revoked" -> throw ApiFailure.conflict("The key is revoked; issue a new key instead");
      case "suspended" ->
          throw ApiFailure.conflict(
              "The key is suspended for a failed payment; paying reinstates it");
      default -> {
        // enabled or disabled: switched below
      }
    }
    String wanted = enabled ? "enabled" : "disabled";
    if (status.equals(wanted)) {
      return stored.key();
    }
    ApiKey changed = stored.key().withStatus(wanted);
    store.update(changed);
    publisher.publish(tx, new ApiKeyStore.StoredKey(changed, stored.hash()), appStatus);
    tx.audit()
        .record(enabled ? "key.enable" : "key.disable", "api_key", keyId, stored.key(), changed);
    return changed;
  }

  private IssuedKey issue(
      TenantTx tx,
      ApiKeyStore store,
      UUID appId,
      String name,
      Instant expiresAt,
      UUID rotatedFrom,
      ApiKey previous,
      String heldAs,
      String appStatus) {
    ApiKeyGenerator.MintedKey minted = generator.mint();
    String status = KeyStatus.storedForNewKey(heldAs, store.billingStanding(appId));
    ApiKey key =
        new ApiKey(
            UUID.randomUUID(),
            appId,
            name,
            minted.visiblePrefix(),
            status,
            tx.now(),
            expiresAt,
            null,
            null,
            rotatedFrom);
    store.insert(key, minted.hash());
    publisher.publish(tx, new ApiKeyStore.StoredKey(key, minted.hash()), appStatus);
    return new IssuedKey(
        key.id(),
        appId,
        minted.plainKey(),
        name,
        key.prefix(),
        key.status(),
        key.createdAt(),
        expiresAt,
        rotatedFrom,
        previous);
  }

  /**
   * Refuses (409) keys beyond the cap the tenant's owner set: under a per-key plan every key brings
   * its own throttle and quota, so unbounded keys would be unbounded use.
   *
   * @param replacing the key the new ones replace, or null
   */
  void requireRoomFor(TenantTx tx, ApiKeyStore store, UUID appId, int adding, UUID replacing) {
    int cap = caps.keysPerApp(tx);
    int live = store.countLiveKeys(appId, tx.now(), replacing);
    if (live + adding > cap) {
      throw ApiFailure.conflict(
          "This app has "
              + live
              + (live == 1 ? " key" : " keys")
              + " and may hold at most "
              + cap
              + " (the API owner's limit); revoke a key before adding "
              + (adding == 1 ? "another" : adding + " more"));
    }
  }

  static ApiFailure appNotFound(UUID appId) {
    return ApiFailure.notFound("App " + appId);
  }

  private static ApiFailure keyNotFound(UUID keyId) {
    return ApiFailure.notFound("API key " + keyId);
  }
}
