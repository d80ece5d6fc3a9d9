package dev.turnpike.controlplane.app.impl;

import static dev.turnpike.controlplane.db.Jsonb.instant;
import static dev.turnpike.controlplane.db.Jsonb.time;
import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.USAGE_PLANS;

import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.app.Subscription;
import dev.turnpike.controlplane.db.SqlErrors;
import dev.turnpike.controlplane.plan.Pricing;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.db.tables.records.AppsRecord;
import dev.turnpike.db.tables.records.SubscriptionsRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** {@link AppStore} on the apps, subscriptions and usage_plans tables. */
public final class JooqAppStore implements AppStore {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqAppStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void insertApp(App app) {
    AppsRecord r = tx.newRecord(APPS);
    r.setId(app.id());
    r.setTenantId(tenantId);
    r.setOwnerUserId(app.ownerUserId());
    r.setCreatedAt(time(app.createdAt()));
    fill(r, app);
    r.insert();
  }

  private static void fill(AppsRecord r, App app) {
    r.setName(app.name());
    r.setDescription(app.description());
    r.setStatus(app.status());
    r.setUpdatedAt(time(app.updatedAt()));
  }

  @Override
  public Optional<App> findApp(UUID appId) {
    return tx.selectFrom(APPS)
        .where(APPS.TENANT_ID.eq(tenantId), APPS.ID.eq(appId), APPS.STATUS.ne("deleted"))
        .fetchOptional(JooqAppStore::app);
  }

  @Override
  public Optional<App> lockApp(UUID appId) {
    return tx.selectFrom(APPS)
        .where(APPS.TENANT_ID.eq(tenantId), APPS.ID.eq(appId), APPS.STATUS.ne("deleted"))
        .forUpdate()
        .fetchOptional(JooqAppStore::app);
  }

  @Override
  public int countApps() {
    return tx.fetchCount(APPS, APPS.TENANT_ID.eq(tenantId), APPS.STATUS.ne("deleted"));
  }

  @Override
  public List<App> listApps() {
    return tx.selectFrom(APPS)
        .where(APPS.TENANT_ID.eq(tenantId), APPS.STATUS.ne("deleted"))
        .orderBy(APPS.CREATED_AT, APPS.ID)
        .fetch(JooqAppStore::app);
  }

  @Override
  public int lockAndCountAppsOf(UUID userId) {
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
        "app-create:" + tenantId + ":" + userId);
    return tx.fetchCount(
        APPS,
        APPS.TENANT_ID.eq(tenantId),
        APPS.OWNER_USER_ID.eq(userId),
        APPS.STATUS.ne("deleted"));
  }

  @Override
  public void updateApp(App app) {
    tx.update(APPS)
        .set(APPS.NAME, app.name())
        .set(APPS.DESCRIPTION, app.description())
        .set(APPS.STATUS, app.status())
        .set(APPS.UPDATED_AT, time(app.updatedAt()))
        .where(APPS.TENANT_ID.eq(tenantId), APPS.ID.eq(app.id()))
        .execute();
  }

  static App app(AppsRecord r) {
    return new App(
        r.getId(),
        r.getName(),
        r.getDescription(),
        r.getOwnerUserId(),
        r.getStatus(),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }

  @Override
  public Optional<PlanTerms> planTerms(UUID planId) {
    return tx.select(USAGE_PLANS.STATUS, USAGE_PLANS.REQUIRES_APPROVAL, USAGE_PLANS.PRICING_MODEL)
        .from(USAGE_PLANS)
        .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(planId))
        .forShare()
        .fetchOptional(r -> new PlanTerms(r.value1(), r.value2(), Pricing.isPaidModel(r.value3())));
  }

  @Override
  public void insertSubscription(Subscription s) {
    SubscriptionsRecord r = tx.newRecord(SUBSCRIPTIONS);
    r.setId(s.id());
    r.setTenantId(tenantId);
    r.setAppId(s.appId());
    r.setPlanId(s.planId());
    r.setCreatedAt(time(s.createdAt()));
    fill(r, s);
    try {
      r.insert();
    } catch (DataAccessException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw ApiFailure.conflict("The app already has a live subscription to this plan");
      }
      throw e;
    }
  }

  private static void fill(SubscriptionsRecord r, Subscription s) {
    r.setStatus(s.status());
    r.setStartedAt(time(s.startedAt()));
    r.setCurrentPeriodStart(time(s.startedAt()));
    r.setEndedAt(time(s.endedAt()));
    r.setUpdatedAt(time(s.updatedAt()));
  }

  @Override
  public Optional<Subscription> findSubscription(UUID appId, UUID subscriptionId) {
    return tx.selectFrom(SUBSCRIPTIONS)
        .where(
            SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
            SUBSCRIPTIONS.APP_ID.eq(appId),
            SUBSCRIPTIONS.ID.eq(subscriptionId))
        .andExists(tx.selectOne().from(APPS).where(APPS.ID.eq(appId), APPS.STATUS.ne("deleted")))
        .fetchOptional(JooqAppStore::subscription);
  }

  @Override
  public List<Subscription> listSubscriptions(UUID appId) {
    return tx.selectFrom(SUBSCRIPTIONS)
        .where(SUBSCRIPTIONS.TENANT_ID.eq(tenantId), SUBSCRIPTIONS.APP_ID.eq(appId))
        .orderBy(SUBSCRIPTIONS.CREATED_AT, SUBSCRIPTIONS.ID)
        .fetch(JooqAppStore::subscription);
  }

  @Override
  public void updateSubscription(Subscription s) {
    SubscriptionsRecord r =
        tx.selectFrom(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.TENANT_ID.eq(tenantId), SUBSCRIPTIONS.ID.eq(s.id()))
            .fetchOne();
    if (r == null) {
      throw ApiFailure.notFound("Subscription " + s.id());
    }
    fill(r, s);
    r.update();
  }

  static Subscription subscription(SubscriptionsRecord r) {
    return new Subscription(
        r.getId(),
        r.getAppId(),
        r.getPlanId(),
        r.getStatus(),
        instant(r.getStartedAt()),
        instant(r.getEndedAt()),
        instant(r.getCreatedAt()),
        instant(r.getUpdatedAt()));
  }

  @Override
  public int revokeKeys(UUID appId, Instant now) {
    return tx.update(API_KEYS)
        .set(API_KEYS.STATUS, "revoked")
        .set(API_KEYS.REVOKED_AT, time(now))
        .where(
            API_KEYS.TENANT_ID.eq(tenantId),
            API_KEYS.APP_ID.eq(appId),
            API_KEYS.STATUS.ne("revoked"))
        .execute();
  }
}
