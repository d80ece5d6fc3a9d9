package dev.turnpike.controlplane.usage.impl;

import static dev.turnpike.db.Tables.RELEASE_AGGREGATES;
import static dev.turnpike.db.Tables.USAGE_AGGREGATES;

import dev.turnpike.controlplane.usage.TrafficSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The console's queries of metering's {@code usage_aggregates} and {@code release_aggregates}, kept
 * in this class alone so a change of those tables touches nothing else. Only hourly buckets are
 * summed, so a call that metering also counts in its minute or day buckets is not counted twice.
 */
public final class JooqTrafficSummary implements TrafficSummary {
  private static final String GRANULARITY = "hour";

  private final DSLContext tx;
  private final UUID tenantId;

  public JooqTrafficSummary(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public List<StageTraffic> since(Instant since) {
    var calls = DSL.sum(USAGE_AGGREGATES.CALLS);
    var clientErrors = DSL.sum(USAGE_AGGREGATES.ERRORS_4XX);
    var serverErrors = DSL.sum(USAGE_AGGREGATES.ERRORS_5XX);
    return tx.select(
            USAGE_AGGREGATES.API_ID, USAGE_AGGREGATES.STAGE, calls, clientErrors, serverErrors)
        .from(USAGE_AGGREGATES)
        .where(USAGE_AGGREGATES.TENANT_ID.eq(tenantId))
        .and(USAGE_AGGREGATES.GRANULARITY.eq(GRANULARITY))
        .and(USAGE_AGGREGATES.BUCKET_START.ge(since.atOffset(ZoneOffset.UTC)))
        .groupBy(USAGE_AGGREGATES.API_ID, USAGE_AGGREGATES.STAGE)
        .orderBy(USAGE_AGGREGATES.API_ID, USAGE_AGGREGATES.STAGE)
        .fetch(
            r ->
                new StageTraffic(
                    r.value1(),
                    r.value2(),
                    count(r.value3()),
                    count(r.value4()),
                    count(r.value5())));
  }

  @Override
  public List<Bucket> series(String granularity, Instant since) {
    var u = USAGE_AGGREGATES;
    return tx.select(
            u.API_ID,
            u.STAGE,
            u.BUCKET_START,
            DSL.sum(u.CALLS),
            DSL.sum(u.ERRORS_4XX),
            DSL.sum(u.ERRORS_5XX),
            DSL.sum(u.LATENCY_SUM_MICROS))
        .from(u)
        .where(u.TENANT_ID.eq(tenantId))
        .and(u.GRANULARITY.eq(granularity))
        .and(u.BUCKET_START.ge(since.atOffset(ZoneOffset.UTC)))
        .groupBy(u.API_ID, u.STAGE, u.BUCKET_START)
        .orderBy(u.API_ID, u.STAGE, u.BUCKET_START)
        .fetch(
            r ->
                new Bucket(
                    r.value1(),
                    r.value2(),
                    r.value3().toInstant(),
                    count(r.value4()),
                    count(r.value5()),
                    count(r.value6()),
                    count(r.value7())));
  }

  @Override
  public CanaryComparison releases(String apiId, String stage, Instant since) {
    var r = RELEASE_AGGREGATES;
    ReleaseTraffic base = ReleaseTraffic.NONE;
    ReleaseTraffic canary = ReleaseTraffic.NONE;
    for (var row :
        tx.select(
                r.CANARY,
                DSL.sum(r.CALLS),
                DSL.sum(r.ERRORS_4XX),
                DSL.sum(r.ERRORS_5XX),
                DSL.sum(r.LATENCY_SUM_MICROS),
                DSL.max(r.LATENCY_MAX_MICROS))
            .from(r)
            .where(r.TENANT_ID.eq(tenantId))
            .and(r.API_ID.eq(apiId))
            .and(r.STAGE.eq(stage))
            .and(r.BUCKET_START.ge(since.atOffset(ZoneOffset.UTC)))
            .groupBy(r.CANARY)
            .fetch()) {
      ReleaseTraffic side =
          new ReleaseTraffic(
              count(row.value2()),
              count(row.value3()),
              count(row.value4()),
              count(row.value5()),
              row.value6() == null ? 0 : row.value6());
      if (Boolean.TRUE.equals(row.value1())) {
        canary = side;
      } else {
        base = side;
      }
    }
    return new CanaryComparison(base, canary);
  }

  private static long count(BigDecimal value) {
    return value == null ? 0 : value.longValueExact();
  }
}
