package dev.turnpike.metering.invoice;

import static dev.turnpike.db.Tables.INVOICES;
import static dev.turnpike.db.Tables.INVOICE_LINES;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.turnpike.metering.invoice.impl.JooqInvoiceStore;
import dev.turnpike.metering.rating.BillingPeriod;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** A month of 1,000 subscriptions with daily usage: every one invoiced exactly once. */
@ExtendWith(EmbeddedPostgresExtension.class)
class PeriodCloseVolumeTest {
  static final int SUBSCRIPTIONS = 1_000;

  @Test
  void closes_a_month_of_a_thousand_subscriptions_once(TestDatabase db) {
    DSLContext owner = db.ownerDsl();
    BillingFixture fixture = new BillingFixture(owner);
    UUID tenant = fixture.tenant();
    UUID user = fixture.user("volume@example.com");
    // 0.1 cent a request beyond 1,000 included, 5.00 a month.
    UUID plan = fixture.plan(tenant, "Metered", "per_request", 500, 1_000, 1_000);
    owner.execute(
        "INSERT INTO apps (id, tenant_id, owner_user_id, name)"
            + " SELECT md5('app' || g)::uuid, ?, ?, 'app-' || g FROM generate_series(1, ?) g",
        tenant,
        user,
        SUBSCRIPTIONS);
    owner.execute(
        "INSERT INTO subscriptions (id, tenant_id, app_id, plan_id, status, started_at)"
            + " SELECT md5('sub' || g)::uuid, ?, md5('app' || g)::uuid, ?, 'active',"
            + " '2026-09-01T00:00:00Z' FROM generate_series(1, ?) g",
        tenant,
        plan,
        SUBSCRIPTIONS);
    // 31 daily rows per app, 100 calls each (3,100 a month: 2,100 billable beyond the allowance).
    owner.execute(
        "INSERT INTO usage_aggregates (tenant_id, granularity, bucket_start, api_id, stage, key_id,"
            + " app_id, plan_id, calls) SELECT ?, 'day', '2026-10-01T00:00:00Z'::timestamptz"
            + " + d * interval '1 day', 'api', 'prod', 'k' || g, md5('app' || g)::uuid::text, ?,"
            + " 100 FROM generate_series(1, ?) g, generate_series(0, 30) d",
        tenant,
        plan.toString(),
        SUBSCRIPTIONS);
    // Pooled, as the metering service's own connections are.
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(db.jdbcUrl());
    pool.setUsername(((PGSimpleDataSource) db.meteringDataSource()).getUser());
    pool.setPassword(((PGSimpleDataSource) db.meteringDataSource()).getPassword());
    pool.setMaximumPoolSize(2);
    PeriodClose close = new PeriodClose(new JooqInvoiceStore(DSL.using(pool, SQLDialect.POSTGRES)));
    BillingPeriod october = BillingPeriod.month(YearMonth.of(2026, 10));

    long started = System.nanoTime();
    PeriodClose.Result first = close.close(october);
    long closeMillis = (System.nanoTime() - started) / 1_000_000;
    started = System.nanoTime();
    PeriodClose.Result again = close.close(october);
    long rerunMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(first.invoiced()).isEqualTo(SUBSCRIPTIONS);
    assertThat(again).isEqualTo(new PeriodClose.Result(0, 0));
    assertThat(owner.fetchCount(INVOICES)).isEqualTo(SUBSCRIPTIONS);
    assertThat(owner.fetchCount(INVOICE_LINES)).isEqualTo(3 * SUBSCRIPTIONS);
    // Each: 500 fee + 2,100 × 0.1 cent = 710 cents.
    assertThat(
            owner
                .select(DSL.sum(INVOICES.TOTAL_CENTS))
                .from(INVOICES)
                .fetchOne(0, BigDecimal.class))
        .isEqualByComparingTo(BigDecimal.valueOf(710L * SUBSCRIPTIONS));
    System.out.printf(
        "period close: %d subscriptions invoiced in %d ms; the rerun took %d ms%n",
        SUBSCRIPTIONS, closeMillis, rerunMillis);
    pool.close();
  }
}
