package dev.turnpike.metering.stripe;

import static dev.turnpike.db.Tables.STRIPE_LINKS;
import static dev.turnpike.db.Tables.STRIPE_METER_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.metering.stripe.impl.JooqMeterEventStore;
import dev.turnpike.metering.stripe.impl.StripeJavaApi;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.testkit.MutableClock;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.testkit.stripe.FakeStripeServer;
import dev.turnpike.testkit.stripe.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeterEventSyncTest {
  static final Instant H09 = Instant.parse("2026-11-21T09:00:00Z");
  static final Instant H10 = Instant.parse("2026-11-21T10:00:00Z");
  static final Instant H11 = Instant.parse("2026-11-21T11:00:00Z");

  final DSLContext owner;
  final BillingFixture fixture;
  final FakeStripeServer fake = FakeStripeServer.start();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T11:05:00Z"));
  final MeterEventSync sync;
  UUID tenant;
  UUID app;
  UUID plan;
  UUID subscription;

  MeterEventSyncTest(TestDatabase db) {
    this.owner = db.ownerDsl();
    this.fixture = new BillingFixture(owner);
    StripeApi stripe =
        new StripeJavaApi(
            "sk_test_fake",
            fake.apiBase(),
            new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)));
    this.sync =
        new MeterEventSync(
            new JooqMeterEventStore(db.meteringDsl()),
            stripe,
            clock,
            Duration.ofMinutes(10),
            Duration.ofHours(48));
  }

  @AfterAll
  void stop() {
    fake.close();
  }

  @BeforeEach
  void paidSubscription() {
    owner.deleteFrom(STRIPE_METER_EVENTS).execute();
    owner.execute("DELETE FROM subscriptions");
    tenant = fixture.tenant();
    UUID user = fixture.user("dev-" + UUID.randomUUID() + "@example.com");
    app = fixture.app(tenant, user);
    plan = fixture.plan(tenant, "Metered", "per_request", 0, 1_000, 0);
    subscription =
        fixture.subscription(
            tenant, app, plan, "active", Instant.parse("2026-11-21T08:30:00Z"), null);
    link("user", user, "customer", "cus_" + user);
    link("subscription", subscription, "subscription", "sub_" + subscription);
    // An hour wholly before the subscription started: never reported.
    fixture.usage(tenant, app, plan, "hour", Instant.parse("2026-11-21T07:00:00Z"), 500, 0, 0);
    fixture.usage(tenant, app, plan, "hour", H09, 100, 10, 0);
    fixture.usage(tenant, app, plan, "hour", H10, 50, 0, 0);
    fixture.usage(tenant, app, plan, "hour", H11, 70, 0, 0);
    fake.clearRequests();
    fake.failNext(0, 0);
    clock.set(Instant.parse("2026-11-21T11:05:00Z"));
  }

  void link(String entityType, UUID entityId, String stripeType, String stripeId) {
    owner
        .insertInto(STRIPE_LINKS)
        .set(STRIPE_LINKS.TENANT_ID, tenant)
        .set(STRIPE_LINKS.ENTITY_TYPE, entityType)
        .set(STRIPE_LINKS.ENTITY_ID, entityId)
        .set(STRIPE_LINKS.STRIPE_TYPE, stripeType)
        .set(STRIPE_LINKS.STRIPE_ID, stripeId)
        .execute();
  }

  String id(Instant hour) {
    return MeterEvent.identifier(subscription, hour, 0);
  }

  @Test
  void reports_each_settled_hour_once_with_a_deterministic_identifier() {
    // 11:05: only 09:00 has ended ten minutes ago; 10:00 ended five minutes ago.
    assertThat(sync.run()).isEqualTo(new MeterEventSync.Result(1, 1));
    RecordedRequest first = fake.requests().getFirst();
    assertThat(first.path()).isEqualTo("/v1/billing/meter_events");
    assertThat(first.idempotencyKey()).isEqualTo("sub_" + subscription + "_2026112109");
    assertThat(first.params())
        .containsEntry("identifier", "sub_" + subscription + "_2026112109")
        .containsEntry("event_name", PlanPrices.meterEventName(plan))
        .containsEntry("payload[value]", "90")
        .containsEntry(
            "payload[stripe_customer_id]",
            owner
                .select(STRIPE_LINKS.STRIPE_ID)
                .from(STRIPE_LINKS)
                .where(STRIPE_LINKS.STRIPE_TYPE.eq("customer"), STRIPE_LINKS.TENANT_ID.eq(tenant))
                .fetchOne(STRIPE_LINKS.STRIPE_ID))
        .containsEntry("timestamp", Long.toString(H09.getEpochSecond()));

    clock.set(Instant.parse("2026-11-21T12:15:00Z"));
    assertThat(sync.run()).isEqualTo(new MeterEventSync.Result(2, 2));
    assertThat(sync.run()).isEqualTo(new MeterEventSync.Result(0, 0));
    assertThat(fake.requests())
        .extracting(RecordedRequest::idempotencyKey)
        .containsExactly(id(H09), id(H10), id(H11));
    assertThat(fake.requests())
        .extracting(r -> r.param("payload[value]"))
        .containsExactly("90", "50", "70");
  }

  @Test
  void reports_the_hour_the_subscription_started_in() {
    // Started at 08:30: usage on its plan in that hour is its own.
    Instant h08 = Instant.parse("2026-11-21T08:00:00Z");
    fixture.usage(tenant, app, plan, "hour", h08, 4, 0, 0);

    assertThat(sync.run()).isEqualTo(new MeterEventSync.Result(2, 2));

    assertThat(fake.requests())
        .extracting(RecordedRequest::idempotencyKey)
        .containsExactly(id(h08), id(H09));
    assertThat(fake.requests())
        .extracting(r -> r.param("payload[value]"))
        .containsExactly("4", "90");
  }

  @Test
  void reports_late_usage_as_a_correction_carrying_the_difference() {
    sync.run();
    fixture.usage(tenant, app, plan, "hour", H09, 15, 0, 0);

    sync.run();

    RecordedRequest correction = fake.requests().getLast();
    assertThat(correction.param("identifier")).isEqualTo(id(H09) + "_2");
    assertThat(correction.param("payload[value]")).isEqualTo("15");
  }

  @Test
  void retries_a_429_with_the_same_idempotency_key() {
    fake.failNext(1, 429);

    assertThat(sync.run().sent()).isEqualTo(1);

    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(429, 200);
    assertThat(fake.requests())
        .extracting(RecordedRequest::idempotencyKey)
        .containsExactly(id(H09), id(H09));
  }

  @Test
  void an_event_stripe_did_not_confirm_is_sent_again_and_counted_once() {
    fake.failNext(3, 500);
    assertThat(sync.run()).isEqualTo(new MeterEventSync.Result(1, 0));
    assertThat(owner.fetchCount(STRIPE_METER_EVENTS, STRIPE_METER_EVENTS.SENT_AT.isNull()))
        .isEqualTo(1);

    assertThat(sync.run()).isEqualTo(new MeterEventSync.Result(0, 1));
    // A crash after Stripe took it but before it was stamped: sent again, replayed by Stripe.
    owner.update(STRIPE_METER_EVENTS).setNull(STRIPE_METER_EVENTS.SENT_AT).execute();
    assertThat(sync.run().sent()).isEqualTo(1);

    assertThat(fake.requests()).extracting(RecordedRequest::idempotencyKey).containsOnly(id(H09));
    assertThat(fake.acceptedMeterEventIdentifiers()).containsOnlyOnce(id(H09));
  }
}
