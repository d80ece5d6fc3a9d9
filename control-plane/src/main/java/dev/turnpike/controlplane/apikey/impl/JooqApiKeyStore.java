package dev.turnpike.controlplane.apikey.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.controlplane.apikey.ApiKey;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.db.tables.records.ApiKeysRecord;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** {@link ApiKeyStore} on the api_keys table. */
public final class JooqApiKeyStore implements ApiKeyStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqApiKeyStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public Optional<String> lockApp(UUID appId) {
    return tx.select(APPS.STATUS)
        .from(APPS)
        .where(APPS.TENANT_ID.eq(tenantId), APPS.ID.eq(appId), APPS.STATUS.ne("deleted"))
        .forUpdate()
        .fetchOptional(APPS.STATUS);
  }

  @Override
  public List<UUID> activePlanIds(UUID appId) {
    return tx.selectDistinct(SUBSCRIPTIONS.PLAN_ID)
        .from(SUBSCRIPTIONS)
        .where(
            SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
            SUBSCRIPTIONS.APP_ID.eq(appId),
            SUBSCRIPTIONS.STATUS.eq("active"))
        .fetch(SUBSCRIPTIONS.PLAN_ID);
  }

  @Override
  public BillingStanding.Standing billingStanding(UUID appId) {
    return tx.select(APP_BILLING_STANDINGS.STANDING)
        .from(APP_BILLING_STANDINGS)
        .where(APP_BILLING_STANDINGS.TENANT_ID.eq(tenantId), APP_BILLING_STANDINGS.APP_ID.eq(appId))
        .fetchOptional(APP_BILLING_STANDINGS.STANDING)
        .map(BillingStanding.Standing::fromWire)
        .orElse(BillingStanding.Standing.GOOD);
  }

  @Override
  public void insert(ApiKey key, String hash) {
    ApiKeysRecord r = tx.newRecord(API_KEYS);
    r.setId(key.id());
    r.setTenantId(tenantId);
    r.setAppId(key.appId());
    r.setKeyHash(hash);
    r.setPrefix(key.prefix());
    r.setName(key.name());
    r.setStatus(key.status());
    r.setCreatedAt(time(key.createdAt()));
    r.setExpiresAt(time(key.expiresAt()));
    r.setRotatedFrom(key.rotatedFrom());
    r.insert();
  }

  @Override
  public boolean insertIfAbsent(ApiKey key, String hash) {
    return tx.insertInto(API_KEYS)
            .set(API_KEYS.ID, key.id())
            .set(API_KEYS.TENANT_ID, tenantId)
            .set(API_KEYS.APP_ID, key.appId())
            .set(API_KEYS.KEY_HASH, hash)
            .set(API_KEYS.PREFIX, key.prefix())
            .set(API_KEYS.NAME, key.name())
            .set(API_KEYS.STATUS, key.status())
            .set(API_KEYS.CREATED_AT, time(key.createdAt()))
            .onConflict(API_KEYS.KEY_HASH)
            .doNothing()
            .execute()
        == 1;
  }

  @Override
  public Optional<StoredKey> find(UUID appId, UUID keyId) {
    return tx.selectFrom(API_KEYS)
        .where(API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.APP_ID.eq(appId), API_KEYS.ID.eq(keyId))
        .fetchOptional(r -> new StoredKey(key(r), r.getKeyHash()));
  }

  @Override
  public int countLiveKeys(UUID appId, java.time.Instant now, UUID except) {
    var successor = API_KEYS.as("successor");
    return tx.fetchCount(
        API_KEYS,
        API_KEYS.TENANT_ID.eq(tenantId),
        API_KEYS.APP_ID.eq(appId),
        API_KEYS.STATUS.ne("revoked"),
        API_KEYS.EXPIRES_AT.isNull().or(API_KEYS.EXPIRES_AT.gt(time(now))),
        except == null ? org.jooq.impl.DSL.trueCondition() : API_KEYS.ID.ne(except),
        org.jooq.impl.DSL.notExists(
            tx.selectOne()
                .from(successor)
                .where(
                    successor.TENANT_ID.eq(tenantId),
                    successor.APP_ID.eq(appId),
                    successor.ROTATED_FROM.eq(API_KEYS.ID),
                    successor.STATUS.ne("revoked"))));
  }

  @Override
  public List<ApiKey> list(UUID appId) {
    return tx.selectFrom(API_KEYS)
        .where(API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.APP_ID.eq(appId))
        .orderBy(API_KEYS.CREATED_AT, API_KEYS.ID)
        .fetch(JooqApiKeyStore::key);
  }

  @Override
  public List<StoredKey> keysOf(UUID appId) {
    return tx.selectFrom(API_KEYS)
        .where(API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.APP_ID.eq(appId))
        .orderBy(API_KEYS.CREATED_AT, API_KEYS.ID)
        .fetch(r -> new StoredKey(key(r), r.getKeyHash()));
  }

  @Override
  public void update(ApiKey key) {
    tx.update(API_KEYS)
        .set(API_KEYS.STATUS, key.status())
        .set(API_KEYS.EXPIRES_AT, time(key.expiresAt()))
        .set(API_KEYS.REVOKED_AT, time(key.revokedAt()))
        .where(API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.ID.eq(key.id()))
        .execute();
  }

  static ApiKey key(ApiKeysRecord r) {
    return new ApiKey(
        r.getId(),
        r.getAppId(),
        r.getName(),
        r.getPrefix(),
        r.getStatus(),
        instant(r.getCreatedAt()),
        instant(r.getExpiresAt()),
        instant(r.getLastUsedAt()),
        instant(r.getRevokedAt()),
        r.getRotatedFrom());
  }
}
