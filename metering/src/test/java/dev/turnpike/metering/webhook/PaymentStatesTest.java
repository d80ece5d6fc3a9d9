package dev.turnpike.metering.webhook;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.subscription.SubscriptionStatus;
import dev.turnpike.metering.billing.BillingService;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.metering.testing.StandingPath;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.stripe.FakeStripeServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What Stripe's events may and may not do to a subscription: only a payment activates, and only a
 * subscription the owner approved (or that needs no approval); a delayed payment activates when it
 * settles and leaves the subscription unpaid when it fails; invoices suspend and reinstate in the
 * order Stripe created them, whatever order their events arrive in; a deleted Stripe subscription
 * ends ours. Every event goes through billing's real webhook endpoint, signed by the fake Stripe,
 * and what it does to the app's keys through the real standing path (metering's standing relay,
 * Kafka, the control plane's standing consumer).
 */
@ExtendWith({
  dev.turnpike.testkit.postgres.EmbeddedPostgresExtension.class,
  KafkaBrokerExtension.class
})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentStatesTest {
  static final String SECRET = "whsec_states_secret";
  static final String TOKEN = "internal-token-states-0123";
  static final AtomicInteger EVENTS = new AtomicInteger();

  final DSLContext owner;
  final DSLContext metering;
  final BillingFixture fixture;
  final FakeStripeServer fake = FakeStripeServer.start();
  final HttpClient http = HttpClient.newHttpClient();
  final long now = Instant.now().getEpochSecond();
  final dev.turnpike.testkit.postgres.TestDatabase db;
  final KafkaBroker kafka;
  StandingPath standing;
  Vertx vertx;
  BillingService billing;
  String base;

  UUID tenant;
  UUID app;
  UUID plan;
  UUID subscription;
  String keyHash;

  PaymentStatesTest(dev.turnpike.testkit.postgres.TestDatabase db, KafkaBroker kafka) {
    this.db = db;
    this.kafka = kafka;
    this.owner = db.ownerDsl();
    this.metering = db.meteringDsl();
    this.fixture = new BillingFixture(owner);
  }

  @BeforeAll
  void start() throws Exception {
    standing = StandingPath.start(db, kafka);
    vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_BILLING_HOST", "127.0.0.1");
    env.put("TURNPIKE_BILLING_PORT", "0");
    env.put("TURNPIKE_STRIPE_API_KEY", "sk_test_fake");
    env.put("TURNPIKE_STRIPE_WEBHOOK_SECRET", SECRET);
    env.put("TURNPIKE_STRIPE_API_BASE", fake.apiBase());
    env.put("TURNPIKE_STRIPE_RETRY_BASE_DELAY", "PT0.01S");
    env.put("TURNPIKE_INTERNAL_TOKEN", TOKEN);
    billing =
        new BillingService(
            BillingSettings.fromEnvironment(env), metering, vertx, Clock.systemUTC());
    billing.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + billing.port();
    fake.deliverWebhooksTo(URI.create(base + "/stripe/webhook"), SECRET);
  }

  @AfterAll
  void stop() throws Exception {
    billing.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    fake.close();
    standing.close();
  }

  @BeforeEach
  void freshSubscription() {
    tenant = fixture.tenant();
    app = fixture.app(tenant, fixture.user("dev-" + UUID.randomUUID() + "@example.com"));
    plan = fixture.plan(tenant, "Pro", "flat", 4_900, 0, 0);
    subscription = fixture.subscription(tenant, app, plan, "pending_payment", null, null);
    keyHash = fixture.key(tenant, app, "enabled");
  }

  HttpResponse<String> checkout() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/billing/checkout-sessions"))
            .header("Content-Type", "application/json")
            .header(BillingSettings.INTERNAL_TOKEN_HEADER, TOKEN)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject()
                        .put("tenantId", tenant.toString())
                        .put("subscriptionId", subscription.toString())
                        .put("successUrl", "https://portal.example.com/done")
                        .put("cancelUrl", "https://portal.example.com/cancelled")
                        .encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A new Checkout Session for the subscription; returns its id. */
  String session() throws Exception {
    HttpResponse<String> created = checkout();
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("sessionId");
  }

  /** Presses a button of the fake's hosted checkout page: "pay" (card) or "pay-later" (debit). */
  void press(String sessionId, String button) throws Exception {
    HttpResponse<String> paid =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(fake.apiBase() + "/checkout/" + sessionId + "/" + button))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(paid.statusCode()).isEqualTo(303);
    assertThat(fake.webhookStatuses()).last().isEqualTo(200);
  }

  /** Checkout paid by card: the subscription is active; returns the session id. */
  String paidByCard() throws Exception {
    String session = session();
    press(session, "pay");
    assertThat(status()).isEqualTo("active");
    return session;
  }

  /** A Stripe invoice id, unique like Stripe's: one per subscription and name. */
  String invoice(String name) {
    return "in_" + name + "_" + subscription;
  }

  void send(String type, Map<String, Object> object) {
    assertThat(fake.sendEvent("evt_states_" + EVENTS.incrementAndGet(), type, object))
        .isEqualTo(200);
  }

  void setStatus(String status) {
    owner
        .update(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.STATUS, status)
        .where(SUBSCRIPTIONS.ID.eq(subscription))
        .execute();
  }

  String status() {
    return owner
        .select(SUBSCRIPTIONS.STATUS)
        .from(SUBSCRIPTIONS)
        .where(SUBSCRIPTIONS.ID.eq(subscription))
        .fetchOne(SUBSCRIPTIONS.STATUS);
  }

  /** The key's stored status once the control plane applied billing's latest decision. */
  String keyStatus() {
    standing.awaitSettled(tenant, app);
    return owner
        .select(API_KEYS.STATUS)
        .from(API_KEYS)
        .where(API_KEYS.KEY_HASH.eq(keyHash))
        .fetchOne(API_KEYS.STATUS);
  }

  /** What the gateway was last told of the app's key (null: nothing yet). */
  KeyRecord gatewayKey() {
    standing.awaitSettled(tenant, app);
    List<KeyRecord> records =
        owner
            .select(OUTBOX.PAYLOAD)
            .from(OUTBOX)
            .where(
                OUTBOX.TENANT_ID.eq(tenant),
                OUTBOX.TOPIC.eq(Topics.KEYS),
                OUTBOX.MESSAGE_KEY.eq(keyHash))
            .orderBy(OUTBOX.ID)
            .fetch(r -> KeyRecord.CODEC.decode(r.value1()));
    return records.isEmpty() ? null : records.getLast();
  }

  /** Whether the gateway lets the app's key call the plan: the outbox's last word on the key. */
  boolean keyOpensThePlan() {
    KeyRecord key = gatewayKey();
    return key != null && key.usableAt(Instant.now()) && key.planIds().contains(plan.toString());
  }

  @Nested
  class Approval {
    @Test
    void a_paid_checkout_never_activates_a_subscription_the_owner_has_not_approved()
        throws Exception {
      String session = session();
      // The owner's approval is still outstanding (the plan asks for it) when the payment lands.
      setStatus("pending_approval");

      send("checkout.session.completed", fake.sessionObject(session, "paid"));

      assertThat(status()).isEqualTo("pending_approval");
      assertThat(keyOpensThePlan()).isFalse();
    }

    @Test
    void checkout_is_refused_while_the_subscription_waits_for_approval() throws Exception {
      setStatus("pending_approval");
      fake.clearRequests();

      HttpResponse<String> refused = checkout();

      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(new JsonObject(refused.body()).getString("detail")).contains("approv");
      assertThat(fake.requests()).isEmpty();
    }

    @Test
    void an_approved_subscription_goes_through_checkout_and_becomes_active() throws Exception {
      setStatus("approved");

      paidByCard();

      assertThat(keyOpensThePlan()).isTrue();
    }
  }

  @Nested
  class CheckoutPayment {
    @Test
    void a_completed_checkout_whose_payment_is_not_settled_does_not_activate() throws Exception {
      String session = session();

      press(session, "pay-later");

      assertThat(status()).isEqualTo("payment_processing");
      assertThat(keyOpensThePlan()).isFalse();
      // No second checkout while the first payment may still go through.
      assertThat(checkout().statusCode()).isEqualTo(409);
    }

    @Test
    void a_delayed_payment_that_succeeds_activates() throws Exception {
      String session = session();
      press(session, "pay-later");

      assertThat(fake.settleDelayedPayment(session, true)).isEqualTo(200);

      assertThat(status()).isEqualTo("active");
      assertThat(keyOpensThePlan()).isTrue();
    }

    @Test
    void a_delayed_payment_that_fails_leaves_it_unpaid_and_a_new_checkout_can_pay()
        throws Exception {
      String session = session();
      press(session, "pay-later");

      assertThat(fake.settleDelayedPayment(session, false)).isEqualTo(200);

      assertThat(status()).isEqualTo("payment_failed");
      assertThat(keyOpensThePlan()).isFalse();
      String second = session();
      assertThat(status()).isEqualTo("pending_payment");
      press(second, "pay");
      assertThat(status()).isEqualTo("active");
      assertThat(keyOpensThePlan()).isTrue();
    }

    @Test
    void no_payment_required_activates() throws Exception {
      String session = session();

      send("checkout.session.completed", fake.sessionObject(session, "no_payment_required"));

      assertThat(status()).isEqualTo("active");
    }

    @Test
    void a_failure_delivered_before_its_completion_still_leaves_it_failed() throws Exception {
      String session = session();

      send("checkout.session.async_payment_failed", fake.sessionObject(session, "unpaid"));
      send("checkout.session.completed", fake.sessionObject(session, "unpaid"));

      assertThat(status()).isEqualTo("payment_failed");
    }

    @Test
    void events_of_an_abandoned_session_do_not_touch_the_current_one() throws Exception {
      String abandoned = session();
      String current = session();
      press(current, "pay-later");

      send("checkout.session.async_payment_failed", fake.sessionObject(abandoned, "unpaid"));

      assertThat(status()).isEqualTo("payment_processing");
    }

    @Test
    void after_activation_late_unpaid_or_failed_events_change_nothing() throws Exception {
      String session = paidByCard();

      send("checkout.session.completed", fake.sessionObject(session, "unpaid"));
      send("checkout.session.async_payment_failed", fake.sessionObject(session, "unpaid"));

      assertThat(status()).isEqualTo("active");
      assertThat(keyOpensThePlan()).isTrue();
    }
  }

  @Nested
  class Invoices {
    @Test
    void a_failed_invoice_suspends_the_keys_and_paying_it_reinstates_them() throws Exception {
      String session = paidByCard();

      send("invoice.payment_failed", fake.invoice(session, invoice("a"), now + 10));
      assertThat(status()).isEqualTo("suspended");
      assertThat(keyStatus()).isEqualTo("suspended");
      assertThat(keyOpensThePlan()).isFalse();

      send("invoice.paid", fake.invoice(session, invoice("a"), now + 10));
      assertThat(status()).isEqualTo("active");
      assertThat(keyStatus()).isEqualTo("enabled");
      assertThat(keyOpensThePlan()).isTrue();
    }

    @Test
    void an_older_invoices_failure_arriving_after_a_newer_paid_invoice_does_not_suspend()
        throws Exception {
      String session = paidByCard();

      send("invoice.paid", fake.invoice(session, invoice("new"), now + 20));
      send("invoice.payment_failed", fake.invoice(session, invoice("old"), now + 10));

      assertThat(status()).isEqualTo("active");
      assertThat(keyStatus()).isEqualTo("enabled");
      assertThat(keyOpensThePlan()).isTrue();
    }

    @Test
    void a_failure_arriving_after_the_same_invoice_was_paid_does_not_suspend() throws Exception {
      String session = paidByCard();

      send("invoice.paid", fake.invoice(session, invoice("retried"), now + 10));
      send("invoice.payment_failed", fake.invoice(session, invoice("retried"), now + 10));

      assertThat(status()).isEqualTo("active");
      assertThat(keyStatus()).isEqualTo("enabled");
    }

    @Test
    void an_older_paid_invoice_arriving_after_a_newer_failure_does_not_reinstate()
        throws Exception {
      String session = paidByCard();

      send("invoice.payment_failed", fake.invoice(session, invoice("new"), now + 20));
      send("invoice.paid", fake.invoice(session, invoice("old"), now + 10));

      assertThat(status()).isEqualTo("suspended");
      assertThat(keyStatus()).isEqualTo("suspended");

      send("invoice.paid", fake.invoice(session, invoice("new"), now + 20));
      assertThat(status()).isEqualTo("active");
      assertThat(keyStatus()).isEqualTo("enabled");
    }

    @Test
    void a_failed_invoice_of_a_subscription_that_is_not_live_suspends_no_keys() throws Exception {
      String session = paidByCard();
      setStatus("cancelled");

      send("invoice.payment_failed", fake.invoice(session, invoice("late"), now + 10));

      assertThat(status()).isEqualTo("cancelled");
      assertThat(keyStatus()).isEqualTo("enabled");
    }

    @Test
    void a_replayed_failure_changes_nothing_after_the_invoice_was_paid() throws Exception {
      String session = paidByCard();
      Map<String, Object> failed = fake.invoice(session, invoice("once"), now + 10);
      String failure = "evt_states_replayed_" + UUID.randomUUID();
      assertThat(fake.sendEvent(failure, "invoice.payment_failed", failed)).isEqualTo(200);
      send("invoice.paid", fake.invoice(session, invoice("once"), now + 10));
      standing.awaitSettled(tenant, app);
      int rows = owner.fetchCount(OUTBOX);

      assertThat(fake.sendEvent(failure, "invoice.payment_failed", failed)).isEqualTo(200);

      assertThat(status()).isEqualTo("active");
      assertThat(keyStatus()).isEqualTo("enabled");
      assertThat(owner.fetchCount(OUTBOX)).isEqualTo(rows);
    }
  }

  @Nested
  class Ending {
    @Test
    void a_deleted_stripe_subscription_ends_ours_and_its_plan_leaves_the_keys() throws Exception {
      String session = paidByCard();

      send("customer.subscription.deleted", fake.stripeSubscription(session, "canceled"));

      assertThat(status()).isEqualTo("cancelled");
      assertThat(
              owner
                  .select(SUBSCRIPTIONS.ENDED_AT)
                  .from(SUBSCRIPTIONS)
                  .where(SUBSCRIPTIONS.ID.eq(subscription))
                  .fetchOne(SUBSCRIPTIONS.ENDED_AT))
          .isNotNull();
      assertThat(keyOpensThePlan()).isFalse();
      assertThat(gatewayKey().planIds()).isEmpty();
    }

    @Test
    void nothing_revives_an_ended_subscription() throws Exception {
      String session = paidByCard();
      send("customer.subscription.deleted", fake.stripeSubscription(session, "canceled"));

      send("invoice.paid", fake.invoice(session, invoice("after"), now + 30));
      send("checkout.session.completed", fake.sessionObject(session, "paid"));
      send("checkout.session.async_payment_succeeded", fake.sessionObject(session, "paid"));

      assertThat(status()).isEqualTo("cancelled");
      assertThat(keyOpensThePlan()).isFalse();
    }

    @Test
    void deleting_a_stripe_subscription_that_is_not_ours_anymore_changes_nothing()
        throws Exception {
      String session = paidByCard();
      Map<String, Object> other =
          new HashMap<>(fake.stripeSubscription(session, "incomplete_expired"));
      other.put("id", "sub_abandoned_" + UUID.randomUUID());

      send("customer.subscription.deleted", other);

      assertThat(status()).isEqualTo("active");
      assertThat(keyOpensThePlan()).isTrue();
    }

    @Test
    void a_suspended_subscription_that_ends_releases_the_apps_other_plans() throws Exception {
      UUID free = fixture.plan(tenant, "Free", "free", 0, 0, 0);
      fixture.subscription(tenant, app, free, "active", Instant.now(), null);
      String session = paidByCard();
      send("invoice.payment_failed", fake.invoice(session, invoice("unpaid"), now + 10));
      assertThat(keyStatus()).isEqualTo("suspended");

      send("customer.subscription.deleted", fake.stripeSubscription(session, "canceled"));

      assertThat(status()).isEqualTo("cancelled");
      assertThat(keyStatus()).isEqualTo("enabled");
      KeyRecord key = gatewayKey();
      assertThat(key.usableAt(Instant.now())).isTrue();
      assertThat(key.planIds()).containsExactly(free.toString());
    }
  }

  @Nested
  class Contract {
    @Test
    void the_database_takes_every_status_of_the_contract_and_no_other() {
      for (SubscriptionStatus status : SubscriptionStatus.values()) {
        setStatus(status.wire());
        assertThat(status()).isEqualTo(status.wire());
      }
      assertThatThrownBy(() -> setStatus("paid")).hasMessageContaining("status_check");
    }
  }
}
