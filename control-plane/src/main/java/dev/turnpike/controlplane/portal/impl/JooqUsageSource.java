package dev.turnpike.controlplane.portal.impl;

import static dev.turnpike.db.Tables.USAGE_AGGREGATES;

import dev.turnpike.controlplane.portal.UsageSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * {@link UsageSource} on metering's {@code usage_aggregates} rows of granularity {@code day}, whose
 * key and app columns hold ids as text. Rows of all APIs, stages and plans of a key are summed.
 */
public final class JooqUsageSource implements UsageSource {
  private static final String DAY = "day";

  private final DSLContext tx;
  private final UUID tenantId;

  public JooqUsageSource(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public List<DailyUsage> dailyUsage(UUID appId, LocalDate from, LocalDate to) {
    var u = USAGE_AGGREGATES;
    return tx
        .select(
            u.KEY_ID,
            u.BUCKET_START,
            DSL.sum(u.CALLS).cast(Long.class),
            DSL.sum(u.ERRORS_4XX).cast(Long.class),
            DSL.sum(u.ERRORS_5XX).cast(Long.class))
        .from(u)
        .where(
            u.TENANT_ID.eq(tenantId),
            u.GRANULARITY.eq(DAY),
            u.APP_ID.eq(appId.toString()),
            u.BUCKET_START.ge(start(from)),
            u.BUCKET_START.lt(start(to.plusDays(1))))
        .groupBy(u.KEY_ID, u.BUCKET_START)
        .fetch()
        .stream()
        .filter(r -> isUuid(r.value1()))
        .map(
            r ->
                new DailyUsage(
                    UUID.fromString(r.value1()),
                    r.value2().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(),
                    r.value3(),
                    r.value4(),
                    r.value5()))
        .toList();
  }

  @Override
  public long callsSince(UUID keyId, UUID planId, LocalDate from) {
    var u = USAGE_AGGREGATES;
    Long calls =
        tx.select(DSL.sum(u.CALLS).cast(Long.class))
            .from(u)
            .where(
                u.TENANT_ID.eq(tenantId),
                u.GRANULARITY.eq(DAY),
                u.KEY_ID.eq(keyId.toString()),
                u.PLAN_ID.eq(planId.toString()),
                u.BUCKET_START.ge(start(from)))
            .fetchOne(0, Long.class);
    return calls == null ? 0 : calls;
  }

  private static OffsetDateTime start(LocalDate day) {
    return day.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  private static boolean isUuid(String value) {
    try {
      UUID.fromString(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
