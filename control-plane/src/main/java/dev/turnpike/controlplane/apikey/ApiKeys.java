package dev.turnpike.controlplane.apikey;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
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
  private final Duration defaultGrace;
  private final Duration maxGrace;
  private final OwnerLimits limits;

  public ApiKeys(
      ApiKeyGenerator generator,
      KeyPublisher publisher,
      Duration defaultGrace,
      Duration maxGrace,
      OwnerLimits limits) {
    this.generator = generator;
    this.publisher = publisher;
    this.defaultGrace = defaultGrace;
    this.maxGrace = maxGrace;
    this.limits = limits;
  }

  public IssuedKey create(TenantTx tx, UUID appId, CreateKey in) {
    tx.store(ApiKeyStore.class)
        .lockApp(appId)
        .orElseThrow(
            () ->
                appNotFound(
                    appId)); // The resource must exist before its input is judged: 404 comes before
    // 400.
    Validation v = new Validation();
    v.length("/name", in.name(), 1, 200);
    v.check("/expiresAt", in.expiresAt(), e -> e.isAfter(tx.now()), "must be in the future");
    v.throwIfInvalid();
    ApiKeyStore store = tx.store(ApiKeyStore.class);
    String appStatus = store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    limits.check(Limit.KEYS_PER_APP, liveKeys(store, appId, null, tx.now()) + 1L, null);
    IssuedKey issued = issue(tx, store, appId, in.name(), in.expiresAt(), null, null, appStatus);
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
    ApiKeyStore store = tx.store(ApiKeyStore.class);
    store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    return store.list(appId);
  }

  public ApiKey get(TenantTx tx, UUID appId, UUID keyId) {
    return tx.store(ApiKeyStore.class)
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
    ApiKeyStore store = tx.store(ApiKeyStore.class);
    String appStatus = store.lockApp(appId).orElseThrow(() -> appNotFound(appId));
    ApiKeyStore.StoredKey old = store.find(appId, keyId).orElseThrow(() -> keyNotFound(keyId));
    if (old.key().status().equals("revoked")) {
      throw ApiFailure.conflict("The key is revoked; issue a new key instead");
    }
    Duration grace =
        in.gracePeriodSeconds() == null
            ? defaultGrace
            : Duration.ofSeconds(in.gracePeriodSeconds());
    Instant graceEnd = tx.now().plus(grace);
    Instant oldExpiry = old.key().expiresAt();
    ApiKey retiring =
        old.key()
            .expiringAt(oldExpiry != null && oldExpiry.isBefore(graceEnd) ? oldExpiry : graceEnd);
    // The new key is one more live key, unless the old one stops at once.
    limits.check(
        Limit.KEYS_PER_APP,
        liveKeys(store, appId, keyId, tx.now()) + (isLive(retiring, tx.now()) ? 1L : 0L) + 1L,
        null);
    store.update(retiring);
    publisher.publish(tx, new ApiKeyStore.StoredKey(retiring, old.hash()), appStatus);
    IssuedKey issued =
        issue(tx, store, appId, old.key().name(), in.expiresAt(), keyId, retiring, appStatus);
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

  /** The app's keys that are neither revoked nor expired, leaving out {@code except} if given. */
  static long liveKeys(ApiKeyStore store, UUID appId, UUID except, Instant now) {
    return store.list(appId).stream().filter(k -> !k.id().equals(except) && isLive(k, now)).count();
  }

  private static boolean isLive(ApiKey key, Instant now) {
    return !key.status().equals("revoked")
        && (key.expiresAt() == null || key.expiresAt().isAfter(now));
  }

  public ApiKey revoke(TenantTx tx, UUID appId, UUID keyId) {
    ApiKeyStore store = tx.store(ApiKeyStore.class);
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
    ApiKeyStore store = tx.store(ApiKeyStore.class);
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
      String appStatus) {
    ApiKeyGenerator.MintedKey minted = generator.mint();
    ApiKey key =
        new ApiKey(
            UUID.randomUUID(),
            appId,
            name,
            minted.visiblePrefix(),
            store.paymentSuspended(appId) ? "suspended" : "enabled",
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

  static ApiFailure appNotFound(UUID appId) {
    return ApiFailure.notFound("App " + appId);
  }

  private static ApiFailure keyNotFound(UUID keyId) {
    return ApiFailure.notFound("API key " + keyId);
  }
}
