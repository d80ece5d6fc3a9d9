package dev.turnpike.metering.invoice;

import static dev.turnpike.db.Tables.INVOICES;
import static dev.turnpike.db.Tables.INVOICE_LINES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.metering.invoice.impl.JooqInvoiceStore;
import dev.turnpike.metering.rating.BillingPeriod;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
class PeriodCloseTest {
  static final BillingPeriod OCT = BillingPeriod.month(YearMonth.of(2026, 10)); // 31 days

  final DSLContext owner;
  final BillingFixture fixture;
  final PeriodClose close;
  UUID tenant;
  UUID app;

  PeriodCloseTest(TestDatabase db) {
    this.owner = db.ownerDsl();
    this.fixture = new BillingFixture(owner);
    this.close = new PeriodClose(new JooqInvoiceStore(db.meteringDsl()));
  }

  @BeforeEach
  void cleanSlate() {
    // Earlier tests' subscriptions would be invoiced again in the same period.
    owner.deleteFrom(INVOICES).execute();
    owner.execute("DELETE FROM subscriptions");
    tenant = fixture.tenant();
    app = fixture.app(tenant, fixture.user("dev-" + UUID.randomUUID() + "@example.com"));
  }

  List<Record> invoiceOf(UUID subscription) {
    return owner.select().from(INVOICES).where(INVOICES.SUBSCRIPTION_ID.eq(subscription)).fetch();
  }

  List<String> linesOf(UUID subscription) {
    return owner
        .select(INVOICE_LINES.DESCRIPTION, INVOICE_LINES.QUANTITY, INVOICE_LINES.AMOUNT_CENTS)
        .from(INVOICE_LINES)
        .join(INVOICES)
        .on(INVOICES.ID.eq(INVOICE_LINES.INVOICE_ID))
        .where(INVOICES.SUBSCRIPTION_ID.eq(subscription))
        .orderBy(INVOICE_LINES.LINE_INDEX)
        .fetch(r -> r.value1() + " | " + r.value2() + " | " + r.value3());
  }

  @Nested
  class Invoicing {
    @Test
    void rates_a_whole_month_of_usage_into_an_invoice_with_lines() {
      UUID plan = fixture.plan(tenant, "Metered", "per_request", 500, 1_000, 1_000);
      UUID sub =
          fixture.subscription(
              tenant, app, plan, "active", Instant.parse("2026-09-15T00:00:00Z"), null);
      // Daily rows inside the month; 4xx and 5xx are not billed.
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-10-01T00:00:00Z"), 2_000, 50, 0);
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-10-31T00:00:00Z"), 1_100, 0, 50);
      // Outside the month, another plan, another granularity: none of these count.
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-11-01T00:00:00Z"), 999, 0, 0);
      fixture.usage(
          tenant, app, UUID.randomUUID(), "day", Instant.parse("2026-10-02T00:00:00Z"), 999, 0, 0);
      fixture.usage(tenant, app, plan, "month", Instant.parse("2026-10-01T00:00:00Z"), 999, 0, 0);

      PeriodClose.Result result = close.close(OCT);

      assertThat(result.invoiced()).isEqualTo(1);
      Record invoice = invoiceOf(sub).getFirst();
      // 3,000 billable, 1,000 included, 2,000 × 0.1 cent = 200, plus the 500 fee.
      assertThat(invoice.get(INVOICES.TOTAL_CENTS)).isEqualTo(700L);
      assertThat(invoice.get(INVOICES.STATUS)).isEqualTo("open");
      assertThat(invoice.get(INVOICES.CURRENCY)).isEqualTo("usd");
      assertThat(invoice.get(INVOICES.PERIOD_START).toInstant()).isEqualTo(OCT.start());
      assertThat(linesOf(sub))
          .containsExactly(
              "Metered: monthly fee | 1 | 500",
              "Metered: included requests (of 1000) | 1000 | 0",
              "Metered: requests | 2000 | 200");
    }

    @Test
    void rates_websocket_messages_and_connection_minutes_at_the_plans_prices_per_million() {
      UUID plan = fixture.plan(tenant, "Chat", "flat", 1_000, 0, 0);
      owner.execute(
          "UPDATE usage_plans SET message_price_per_million_micros = 1000000,"
              + " connection_minute_price_per_million_micros = 250000 WHERE id = ?::uuid",
          plan.toString());
      UUID sub =
          fixture.subscription(
              tenant, app, plan, "active", Instant.parse("2026-09-15T00:00:00Z"), null);
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-10-01T00:00:00Z"), 100, 0, 0);
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-10-02T00:00:00Z"), 100, 0, 0);
      // 4,000,000 messages; 2,000,000 minutes and 30 seconds of connections (rounded up).
      owner.execute(
          "UPDATE usage_aggregates SET messages = 2000000, connection_millis = 60000000030"
              + " WHERE plan_id = ? AND granularity = 'day'",
          plan.toString());

      close.close(OCT);

      assertThat(linesOf(sub))
          .containsExactly(
              "Chat: monthly fee | 1 | 1000",
              "Chat: requests (included in the fee) | 200 | 0",
              "Chat: WebSocket messages (price per million) | 4000000 | 400",
              "Chat: WebSocket connection minutes (price per million) | 2000001 | 50");
      assertThat(invoiceOf(sub).getFirst().get(INVOICES.TOTAL_CENTS)).isEqualTo(1_450L);
    }

    @Test
    void running_the_close_twice_changes_nothing() {
      UUID plan = fixture.plan(tenant, "Flat", "flat", 2_900, 0, 0);
      UUID sub =
          fixture.subscription(
              tenant, app, plan, "active", Instant.parse("2026-01-01T00:00:00Z"), null);
      close.close(OCT);
      List<Record> first = invoiceOf(sub);
      List<String> firstLines = linesOf(sub);
      // Late usage after the close does not rewrite the closed invoice.
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-10-05T00:00:00Z"), 10, 0, 0);

      PeriodClose.Result again = close.close(OCT);

      assertThat(again).isEqualTo(new PeriodClose.Result(0, 0));
      assertThat(invoiceOf(sub)).isEqualTo(first);
      assertThat(linesOf(sub)).isEqualTo(firstLines);
      assertThat(owner.fetchCount(INVOICES)).isEqualTo(1);
    }

    @Test
    void two_closers_racing_on_the_same_period_write_one_invoice() throws Exception {
      UUID plan = fixture.plan(tenant, "Flat", "flat", 1_500, 0, 0);
      UUID sub =
          fixture.subscription(
              tenant, app, plan, "active", Instant.parse("2026-01-01T00:00:00Z"), null);
      CyclicBarrier start = new CyclicBarrier(4);
      try (ExecutorService closers = Executors.newFixedThreadPool(4)) {
        List<Future<PeriodClose.Result>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          results.add(
              closers.submit(
                  () -> {
                    start.await();
                    return close.close(OCT);
                  }));
        }
        int invoiced = 0;
        for (Future<PeriodClose.Result> result : results) {
          invoiced += result.get(30, TimeUnit.SECONDS).invoiced();
        }
        assertThat(invoiced).isEqualTo(1);
      }
      assertThat(invoiceOf(sub)).hasSize(1);
      assertThat(linesOf(sub))
          .containsExactly(
              "Flat: monthly fee | 1 | 1500", "Flat: requests (included in the fee) | 0 | 0");
    }

    @Test
    void usage_in_the_hour_a_subscription_starts_and_ends_in_is_billed() {
      UUID plan = fixture.plan(tenant, "Metered", "per_request", 0, 10_000, 0);
      UUID sub =
          fixture.subscription(
              tenant,
              app,
              plan,
              "cancelled",
              Instant.parse("2026-10-10T10:30:00Z"),
              Instant.parse("2026-10-10T12:15:00Z"));
      fixture.usage(tenant, app, plan, "hour", Instant.parse("2026-10-10T10:00:00Z"), 7, 0, 0);
      fixture.usage(tenant, app, plan, "hour", Instant.parse("2026-10-10T11:00:00Z"), 20, 0, 0);
      fixture.usage(tenant, app, plan, "hour", Instant.parse("2026-10-10T12:00:00Z"), 3, 0, 0);

      close.close(OCT);

      assertThat(invoiceOf(sub).getFirst().get(INVOICES.TOTAL_CENTS)).isEqualTo(30L);
    }

    @Test
    void an_hour_shared_by_two_subscriptions_to_the_same_plan_is_billed_once_to_the_first() {
      UUID plan = fixture.plan(tenant, "Metered", "per_request", 0, 10_000, 0);
      UUID first =
          fixture.subscription(
              tenant,
              app,
              plan,
              "cancelled",
              Instant.parse("2026-10-10T09:00:00Z"),
              Instant.parse("2026-10-10T10:20:00Z"));
      UUID again =
          fixture.subscription(
              tenant, app, plan, "active", Instant.parse("2026-10-10T10:40:00Z"), null);
      fixture.usage(tenant, app, plan, "hour", Instant.parse("2026-10-10T10:00:00Z"), 11, 0, 0);
      fixture.usage(tenant, app, plan, "hour", Instant.parse("2026-10-10T11:00:00Z"), 5, 0, 0);

      close.close(OCT);

      assertThat(invoiceOf(first).getFirst().get(INVOICES.TOTAL_CENTS)).isEqualTo(11L);
      assertThat(invoiceOf(again).getFirst().get(INVOICES.TOTAL_CENTS)).isEqualTo(5L);
    }

    @Test
    void free_plans_get_a_paid_zero_invoice() {
      UUID plan = fixture.plan(tenant, "Free", "free", 0, 0, 0);
      UUID sub =
          fixture.subscription(
              tenant, app, plan, "active", Instant.parse("2026-01-01T00:00:00Z"), null);
      fixture.usage(tenant, app, plan, "day", Instant.parse("2026-10-05T00:00:00Z"), 10, 0, 0);
      close.close(OCT);
      assertThat(invoiceOf(sub).getFirst().get(INVOICES.STATUS)).isEqualTo("paid");
      assertThat(linesOf(sub)).containsExactly("Free: requests (free plan) | 10 | 0");
    }

    @Test
    void skips_subscriptions_not_live_in_the_period() {
      UUID plan = fixture.plan(tenant, "Flat", "flat", 100, 0, 0);
      fixture.subscription(
          tenant,
          app,
          plan,
          "cancelled",
          Instant.parse("2026-08-01T00:00:00Z"),
          Instant.parse("2026-10-01T00:00:00Z"));
      UUID later = fixture.app(tenant, fixture.user("x-" + UUID.randomUUID() + "@example.com"));
      fixture.subscription(
          tenant, later, plan, "active", Instant.parse("2026-11-01T00:00:00Z"), null);
      assertThat(close.close(OCT).invoiced()).isZero();
    }
  }

  @Nested
  class PlanChange {
    @Test
    void prorates_both_plans_and_splits_usage_at_the_change() {
      // Basic until 11 Oct 12:00 (10.5 days), then Pro for the remaining 20.5 days.
      Instant change = Instant.parse("2026-10-11T12:00:00Z");
      UUID basic = fixture.plan(tenant, "Basic", "flat", 3_100, 0, 0);
      UUID pro =
          fixture.plan(
              tenant,
              "Pro",
              "graduated",
              6_200,
              0,
              0,
              new Object[] {1_000L, 1_000L, 0L},
              new Object[] {null, 500L, 0L});
      UUID oldSub =
          fixture.subscription(
              tenant, app, basic, "cancelled", Instant.parse("2026-09-01T00:00:00Z"), change);
      UUID newSub = fixture.subscription(tenant, app, pro, "active", change, null);
      fixture.usage(tenant, app, basic, "day", Instant.parse("2026-10-03T00:00:00Z"), 5_000, 0, 0);
      fixture.usage(tenant, app, basic, "hour", Instant.parse("2026-10-11T11:00:00Z"), 7, 0, 0);
      // Pro: hourly rows on the change day, daily rows after it.
      fixture.usage(tenant, app, pro, "hour", Instant.parse("2026-10-11T12:00:00Z"), 400, 0, 0);
      fixture.usage(tenant, app, pro, "hour", Instant.parse("2026-10-11T23:00:00Z"), 600, 0, 0);
      fixture.usage(tenant, app, pro, "day", Instant.parse("2026-10-20T00:00:00Z"), 1_000, 0, 0);
      // An hourly row inside a whole day is covered by that day's row, never counted twice.
      fixture.usage(tenant, app, pro, "hour", Instant.parse("2026-10-20T05:00:00Z"), 1_000, 0, 0);

      close.close(OCT);

      // Basic: 3,100 × 10.5/31 = 1,050.
      assertThat(invoiceOf(oldSub).getFirst().get(INVOICES.TOTAL_CENTS)).isEqualTo(1_050L);
      // Pro: 6,200 × 20.5/31 = 4,100, plus 1,000 at 0.1 and 1,000 at 0.05 cent = 150.
      assertThat(invoiceOf(newSub).getFirst().get(INVOICES.TOTAL_CENTS)).isEqualTo(4_250L);
      assertThat(linesOf(newSub))
          .containsExactly(
              "Pro (2026-10-11 12:00 to 2026-11-01 00:00 UTC): monthly fee, prorated 20.50 of 31.00"
                  + " days | 1 | 4100",
              "Pro (2026-10-11 12:00 to 2026-11-01 00:00 UTC): tier 1 (requests 1 to 1000) | 1000"
                  + " | 100",
              "Pro (2026-10-11 12:00 to 2026-11-01 00:00 UTC): tier 2 (requests 1001 to and beyond)"
                  + " | 1000 | 50");
    }
  }
}
