package dev.turnpike.controlplane.usage.impl;

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
 * The dashboard's one query of metering's {@code usage_aggregates}, kept in this class alone so a
 * change of that table touches nothing else. Only hourly buckets are summed, so a call that
 * metering also counts in its minute or day buckets is not counted twice.
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

  private static long count(BigDecimal value) {
    return value == null ? 0 : value.longValueExact();
  }
}
