package dev.turnpike.controlplane.usage.impl;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static dev.turnpike.db.Tables.USAGE_PLANS;

import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.controlplane.usage.DailyKeyUsage;
import dev.turnpike.controlplane.usage.PlanQuota;
import dev.turnpike.controlplane.usage.UsageStore;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * {@link UsageStore} on usage_aggregates' day buckets (written by metering), in the tenant's scope:
 * row-level security and an explicit tenant predicate both hold every query to the tenant.
 */
public final class JooqUsageStore implements UsageStore {
  private static final Field<Long> CALLS = total(USAGE_AGGREGATES.CALLS);
  private static final Field<Long> QUOTA_CALLS =
      DSL.sum(
              USAGE_AGGREGATES
                  .CALLS
                  .minus(USAGE_AGGREGATES.THROTTLED)
                  .minus(USAGE_AGGREGATES.QUOTA_EXCEEDED))
          .cast(SQLDataType.BIGINT);
  private static final Field<Long> ERRORS_4XX = total(USAGE_AGGREGATES.ERRORS_4XX);
  private static final Field<Long> ERRORS_5XX = total(USAGE_AGGREGATES.ERRORS_5XX);
  private static final Field<Long> THROTTLED = total(USAGE_AGGREGATES.THROTTLED);
  private static final Field<Long> QUOTA_EXCEEDED = total(USAGE_AGGREGATES.QUOTA_EXCEEDED);

  private final DSLContext tx;
  private final UUID tenantId;

  public JooqUsageStore(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  private static Field<Long> total(Field<Long> column) {
    return DSL.sum(column).cast(SQLDataType.BIGINT);
  }

  @Override
  public Optional<PlanQuota> planQuota(UUID planId) {
    return tx.select(
            USAGE_PLANS.QUOTA_LIMIT,
            USAGE_PLANS.QUOTA_OFFSET,
            USAGE_PLANS.QUOTA_PERIOD,
            USAGE_PLANS.CREATED_AT)
        .from(USAGE_PLANS)
        .where(USAGE_PLANS.TENANT_ID.eq(tenantId), USAGE_PLANS.ID.eq(planId))
        .fetchOptional(
            r ->
                new PlanQuota(
                    r.value1(),
                    r.value2(),
                    r.value3() == null ? null : QuotaPeriod.valueOf(r.value3()),
                    r.value4().atZoneSameInstant(ZoneOffset.UTC)));
  }

  @Override
  public boolean keyExists(UUID keyId) {
    return tx.fetchExists(API_KEYS, API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.ID.eq(keyId));
  }

  @Override
  public boolean appExists(UUID appId) {
    return tx.fetchExists(APPS, APPS.TENANT_ID.eq(tenantId), APPS.ID.eq(appId));
  }

  @Override
  public List<DailyKeyUsage> dailyForPlan(UUID planId, UUID keyId, LocalDate from, LocalDate to) {
    Condition condition = days(from, to).and(USAGE_AGGREGATES.PLAN_ID.eq(planId.toString()));
    if (keyId != null) {
      condition = condition.and(USAGE_AGGREGATES.KEY_ID.eq(keyId.toString()));
    }
    return daily(condition);
  }

  @Override
  public List<DailyKeyUsage> dailyForApp(UUID appId, LocalDate from, LocalDate to) {
    return daily(days(from, to).and(USAGE_AGGREGATES.APP_ID.eq(appId.toString())));
  }

  private Condition days(LocalDate from, LocalDate to) {
    return USAGE_AGGREGATES
        .TENANT_ID
        .eq(tenantId)
        .and(USAGE_AGGREGATES.GRANULARITY.eq("day"))
        .and(USAGE_AGGREGATES.BUCKET_START.ge(startOf(from)))
        .and(USAGE_AGGREGATES.BUCKET_START.lt(startOf(to.plusDays(1))))
        .and(USAGE_AGGREGATES.KEY_ID.ne(""));
  }

  private List<DailyKeyUsage> daily(Condition condition) {
    return tx.select(
            USAGE_AGGREGATES.KEY_ID,
            USAGE_AGGREGATES.PLAN_ID,
            USAGE_AGGREGATES.BUCKET_START,
            CALLS,
            QUOTA_CALLS,
            ERRORS_4XX,
            ERRORS_5XX,
            THROTTLED,
            QUOTA_EXCEEDED)
        .from(USAGE_AGGREGATES)
        .where(condition)
        .groupBy(USAGE_AGGREGATES.KEY_ID, USAGE_AGGREGATES.PLAN_ID, USAGE_AGGREGATES.BUCKET_START)
        .orderBy(USAGE_AGGREGATES.BUCKET_START, USAGE_AGGREGATES.KEY_ID, USAGE_AGGREGATES.PLAN_ID)
        .fetch(
            r ->
                new DailyKeyUsage(
                    r.value1(),
                    r.value2(),
                    r.value3().atZoneSameInstant(ZoneOffset.UTC).toLocalDate(),
                    r.value4(),
                    r.value5(),
                    r.value6(),
                    r.value7(),
                    r.value8(),
                    r.value9()));
  }

  private static OffsetDateTime startOf(LocalDate day) {
    return day.atStartOfDay().atOffset(ZoneOffset.UTC);
  }
}
