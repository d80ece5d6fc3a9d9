package dev.turnpike.controlplane.alarm.impl;

import static dev.turnpike.db.Tables.USAGE_AGGREGATES;

import dev.turnpike.controlplane.alarm.AlarmMetric;
import dev.turnpike.db.tables.records.AlarmsRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Reads an alarm's metric from metering's minute aggregates of its stage, the query naming the
 * alarm's own tenant so one tenant's alarm reads only its own traffic.
 */
final class AggregateMetricReader implements MetricReader {
  private static final String MINUTE = "minute";

  @Override
  public AlarmReading read(DSLContext tx, AlarmsRecord alarm, Instant now) {
    AlarmMetric metric = AlarmMetric.of(alarm.getMetric()).orElseThrow();
    return AlarmReading.of(metric.valueOf(totals(tx, alarm, now)));
  }

  /** The stage's minute buckets that started within the window. */
  private static AlarmMetric.WindowTotals totals(DSLContext tx, AlarmsRecord alarm, Instant now) {
    var u = USAGE_AGGREGATES;
    Instant since =
        now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(alarm.getWindowMinutes() - 1));
    var row =
        tx.select(
                DSL.sum(u.CALLS),
                DSL.sum(u.ERRORS_4XX),
                DSL.sum(u.ERRORS_5XX),
                DSL.sum(u.LATENCY_SUM_MICROS),
                DSL.max(u.LATENCY_MAX_MICROS))
            .from(u)
            .where(u.TENANT_ID.eq(alarm.getTenantId()))
            .and(u.GRANULARITY.eq(MINUTE))
            .and(u.BUCKET_START.ge(since.atOffset(ZoneOffset.UTC)))
            .and(u.API_ID.eq(alarm.getApiId().toString()))
            .and(u.STAGE.eq(alarm.getStage()))
            .fetchSingle();
    return new AlarmMetric.WindowTotals(
        count(row.value1()),
        count(row.value2()),
        count(row.value3()),
        count(row.value4()),
        row.value5() == null ? 0 : row.value5());
  }

  private static long count(BigDecimal value) {
    return value == null ? 0 : value.longValueExact();
  }
}
