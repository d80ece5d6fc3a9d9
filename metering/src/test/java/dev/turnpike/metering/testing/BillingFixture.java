package dev.turnpike.metering.testing;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.PLAN_PRICE_TIERS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.TENANTS;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static dev.turnpike.db.Tables.USAGE_PLANS;
import static dev.turnpike.db.Tables.USERS;

import dev.turnpike.contracts.config.ApiKeyHash;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Writes the rows billing works on (tenant, owner, app, plan, subscription, keys, usage) straight
 * into a test database, as the schema owner.
 */
public final class BillingFixture {
  private final DSLContext db;
  private int counter;

  public BillingFixture(DSLContext ownerDsl) {
    this.db = ownerDsl;
  }

  public UUID tenant() {
    UUID id = UUID.randomUUID();
    db.insertInto(TENANTS)
        .set(TENANTS.ID, id)
        .set(TENANTS.SLUG, "t" + id.toString().substring(0, 8))
        .set(TENANTS.NAME, "Tenant " + id)
        .execute();
    return id;
  }

  public UUID user(String email) {
    UUID id = UUID.randomUUID();
    db.insertInto(USERS)
        .set(USERS.ID, id)
        .set(USERS.KEYCLOAK_SUBJECT, "kc-" + id)
        .set(USERS.EMAIL, email)
        .set(USERS.DISPLAY_NAME, "Dev " + email)
        .execute();
    return id;
  }

  public UUID app(UUID tenant, UUID owner) {
    UUID id = UUID.randomUUID();
    db.insertInto(APPS)
        .set(APPS.ID, id)
        .set(APPS.TENANT_ID, tenant)
        .set(APPS.OWNER_USER_ID, owner)
        .set(APPS.NAME, "app-" + (++counter))
        .execute();
    return id;
  }

  /** A plan; {@code tiers} as (upTo or null, unitPriceMicros, flatFeeCents) triples. */
  public UUID plan(
      UUID tenant,
      String name,
      String model,
      long flatFeeCents,
      long unitPriceMicros,
      long includedRequests,
      Object[]... tiers) {
    UUID id = UUID.randomUUID();
    db.insertInto(USAGE_PLANS)
        .set(USAGE_PLANS.ID, id)
        .set(USAGE_PLANS.TENANT_ID, tenant)
        .set(USAGE_PLANS.NAME, name)
        .set(USAGE_PLANS.PRICING_MODEL, model)
        .set(USAGE_PLANS.FLAT_FEE_CENTS, flatFeeCents)
        .set(USAGE_PLANS.UNIT_PRICE_MICROS, unitPriceMicros)
        .set(USAGE_PLANS.INCLUDED_REQUESTS, includedRequests)
        .execute();
    for (int i = 0; i < tiers.length; i++) {
      db.insertInto(PLAN_PRICE_TIERS)
          .set(PLAN_PRICE_TIERS.TENANT_ID, tenant)
          .set(PLAN_PRICE_TIERS.PLAN_ID, id)
          .set(PLAN_PRICE_TIERS.TIER_INDEX, i)
          .set(PLAN_PRICE_TIERS.UP_TO, (Long) tiers[i][0])
          .set(PLAN_PRICE_TIERS.UNIT_PRICE_MICROS, (Long) tiers[i][1])
          .set(PLAN_PRICE_TIERS.FLAT_FEE_CENTS, (Long) tiers[i][2])
          .execute();
    }
    return id;
  }

  public UUID subscription(
      UUID tenant, UUID app, UUID plan, String status, Instant startedAt, Instant endedAt) {
    UUID id = UUID.randomUUID();
    db.insertInto(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.ID, id)
        .set(SUBSCRIPTIONS.TENANT_ID, tenant)
        .set(SUBSCRIPTIONS.APP_ID, app)
        .set(SUBSCRIPTIONS.PLAN_ID, plan)
        .set(SUBSCRIPTIONS.STATUS, status)
        .set(SUBSCRIPTIONS.STARTED_AT, time(startedAt))
        .set(SUBSCRIPTIONS.CURRENT_PERIOD_START, time(startedAt))
        .set(SUBSCRIPTIONS.ENDED_AT, time(endedAt))
        .execute();
    return id;
  }

  /** An API key of the app; returns its SHA-256 hash. */
  public String key(UUID tenant, UUID app, String status) {
    String secret = "tpk_" + UUID.randomUUID();
    String hash = ApiKeyHash.sha256Hex(secret);
    db.insertInto(API_KEYS)
        .set(API_KEYS.ID, UUID.randomUUID())
        .set(API_KEYS.TENANT_ID, tenant)
        .set(API_KEYS.APP_ID, app)
        .set(API_KEYS.KEY_HASH, hash)
        .set(API_KEYS.PREFIX, secret.substring(0, 8))
        .set(API_KEYS.STATUS, status)
        .execute();
    return hash;
  }

  /** Adds an aggregate row: {@code calls} of which {@code errors4xx} and {@code errors5xx}. */
  public void usage(
      UUID tenant,
      UUID app,
      UUID plan,
      String granularity,
      Instant bucketStart,
      long calls,
      long errors4xx,
      long errors5xx) {
    db.insertInto(USAGE_AGGREGATES)
        .set(USAGE_AGGREGATES.TENANT_ID, tenant)
        .set(USAGE_AGGREGATES.GRANULARITY, granularity)
        .set(USAGE_AGGREGATES.BUCKET_START, time(bucketStart))
        .set(USAGE_AGGREGATES.API_ID, "api-1")
        .set(USAGE_AGGREGATES.STAGE, "prod")
        .set(USAGE_AGGREGATES.KEY_ID, "key-" + (++counter))
        .set(USAGE_AGGREGATES.APP_ID, app.toString())
        .set(USAGE_AGGREGATES.PLAN_ID, plan.toString())
        .set(USAGE_AGGREGATES.CALLS, calls)
        .set(USAGE_AGGREGATES.ERRORS_4XX, errors4xx)
        .set(USAGE_AGGREGATES.ERRORS_5XX, errors5xx)
        .execute();
  }

  private static OffsetDateTime time(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }
}
