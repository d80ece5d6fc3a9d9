package dev.turnpike.metering.billing;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.STRIPE_LINKS;
import static dev.turnpike.db.Tables.STRIPE_WEBHOOK_EVENTS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.metering.stripe.PlanPrices;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.metering.testing.StandingPath;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.testkit.stripe.FakeStripeServer;
import dev.turnpike.testkit.stripe.RecordedRequest;
import dev.turnpike.testkit.stripe.WebhookSigner;
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
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Billing's HTTP API: checkout sessions and Stripe's webhooks, with what a payment does to the
 * app's keys through the real standing path (metering's standing relay, Kafka, the control plane's
 * standing consumer).
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingApiTest {
  static final String SECRET = "whsec_test_secret";
  static final String TOKEN = "internal-token-0123456789";

  final DSLContext owner;
  final DSLContext metering;
  final BillingFixture fixture;
  final FakeStripeServer fake = FakeStripeServer.start();
  final HttpClient http = HttpClient.newHttpClient();
  final TestDatabase db;
  final KafkaBroker kafka;
  StandingPath standing;
  Vertx vertx;
  BillingService billing;
  String base;

  UUID tenant;
  UUID user;
  UUID app;
  UUID plan;
  UUID subscription;
  String keyHash;

  BillingApiTest(TestDatabase db, KafkaBroker kafka) {
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
    user = fixture.user("dev-" + UUID.randomUUID() + "@example.com");
    app = fixture.app(tenant, user);
    plan =
        fixture.plan(
            tenant,
            "Pro",
            "graduated",
            2_900,
            0,
            1_000,
            new Object[] {10_000L, 1_000L, 0L},
            new Object[] {null, 500L, 0L});
    subscription = fixture.subscription(tenant, app, plan, "pending_payment", null, null);
    keyHash = fixture.key(tenant, app, "enabled");
    fake.clearRequests();
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> checkout(UUID subscriptionId) throws Exception {
    return post(
        "/billing/checkout-sessions",
        new JsonObject()
            .put("tenantId", tenant.toString())
            .put("subscriptionId", subscriptionId.toString())
            .put("successUrl", "https://portal.example.com/done?session={CHECKOUT_SESSION_ID}")
            .put("cancelUrl", "https://portal.example.com/cancelled")
            .encode(),
        Map.of(BillingSettings.INTERNAL_TOKEN_HEADER, TOKEN));
  }

  String status(UUID subscriptionId) {
    return owner
        .select(SUBSCRIPTIONS.STATUS)
        .from(SUBSCRIPTIONS)
        .where(SUBSCRIPTIONS.ID.eq(subscriptionId))
        .fetchOne(SUBSCRIPTIONS.STATUS);
  }

  /** The key records the control plane wrote once it applied billing's latest decision. */
  List<KeyRecord> publishedKeys() {
    standing.awaitSettled(tenant, app);
    return owner
        .select(OUTBOX.PAYLOAD)
        .from(OUTBOX)
        .where(
            OUTBOX.TENANT_ID.eq(tenant),
            OUTBOX.TOPIC.eq(Topics.KEYS),
            OUTBOX.MESSAGE_KEY.eq(keyHash))
        .orderBy(OUTBOX.ID)
        .fetch(r -> KeyRecord.CODEC.decode(r.value1()));
  }

  Map<String, Object> invoiceFor(UUID subscriptionId) {
    return Map.of(
        "id",
        "in_" + UUID.randomUUID(),
        "object",
        "invoice",
        "parent",
        Map.of(
            "type",
            "subscription_details",
            "subscription_details",
            Map.of(
                "subscription",
                "sub_x",
                "metadata",
                Map.of(
                    "tenant_id",
                    tenant.toString(),
                    "subscription_id",
                    subscriptionId.toString()))));
  }

  @Nested
  class CheckoutSessions {
    @Test
    void creates_customer_meter_prices_and_session_with_exact_requests() throws Exception {
      HttpResponse<String> response = checkout(subscription);

      assertThat(response.statusCode()).isEqualTo(201);
      JsonObject body = new JsonObject(response.body());
      String sessionId = body.getString("sessionId");
      assertThat(body.getString("url")).isEqualTo(fake.apiBase() + "/checkout/" + sessionId);

      List<RecordedRequest> calls = fake.requests();
      assertThat(calls)
          .extracting(RecordedRequest::path)
          .containsExactly(
              "/v1/customers",
              "/v1/billing/meters",
              "/v1/prices",
              "/v1/prices",
              "/v1/checkout/sessions");
      assertThat(calls)
          .extracting(RecordedRequest::idempotencyKey)
          .startsWith(
              "customer_user_" + user,
              "meter_plan_" + plan,
              "price_plan_" + plan + "_metered",
              "price_plan_" + plan + "_flat");
      assertThat(calls.get(4).idempotencyKey()).startsWith("checkout_" + subscription + "_");
      assertThat(calls.get(1).param("event_name")).isEqualTo(PlanPrices.meterEventName(plan));
      // The allowance becomes a free first tier; later bounds move up by it.
      assertThat(calls.get(2).params())
          .containsEntry("tiers[0][up_to]", "1000")
          .containsEntry("tiers[0][unit_amount_decimal]", "0")
          .containsEntry("tiers[1][up_to]", "11000")
          .containsEntry("tiers[1][unit_amount_decimal]", "0.1")
          .containsEntry("tiers[2][up_to]", "inf")
          .containsEntry("tiers[2][unit_amount_decimal]", "0.05")
          .containsEntry("recurring[usage_type]", "metered");
      assertThat(calls.get(3).params())
          .containsEntry("unit_amount", "2900")
          .containsEntry("recurring[usage_type]", "licensed");
      String customer = linked("user", user, "customer");
      String metered = linked("plan", plan, "metered_price");
      String flat = linked("plan", plan, "price");
      assertThat(calls.get(4).params())
          .containsAllEntriesOf(
              Map.of(
                  "mode",
                  "subscription",
                  "customer",
                  customer,
                  "client_reference_id",
                  subscription.toString(),
                  "line_items[0][price]",
                  flat,
                  "line_items[0][quantity]",
                  "1",
                  "line_items[1][price]",
                  metered,
                  "metadata[tenant_id]",
                  tenant.toString(),
                  "metadata[subscription_id]",
                  subscription.toString(),
                  "subscription_data[metadata][subscription_id]",
                  subscription.toString(),
                  "success_url",
                  "https://portal.example.com/done?session={CHECKOUT_SESSION_ID}"));
      assertThat(calls.get(4).params()).doesNotContainKey("line_items[1][quantity]");
      assertThat(linked("subscription", subscription, "checkout_session")).isEqualTo(sessionId);
    }

    @Test
    void reuses_the_owners_customer_and_the_plans_stripe_objects() throws Exception {
      checkout(subscription);
      UUID secondApp = fixture.app(tenant, user);
      UUID second = fixture.subscription(tenant, secondApp, plan, "pending_payment", null, null);
      fake.clearRequests();

      assertThat(checkout(second).statusCode()).isEqualTo(201);
      assertThat(fake.requests())
          .extracting(RecordedRequest::path)
          .containsExactly("/v1/checkout/sessions");
    }

    @Test
    void paying_on_the_hosted_page_activates_the_subscription_and_its_keys() throws Exception {
      String url = new JsonObject(checkout(subscription).body()).getString("url");
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).contains(">Pay</button>");

      HttpResponse<String> paid =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/pay"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(paid.statusCode()).isEqualTo(303);
      assertThat(paid.headers().firstValue("Location"))
          .hasValueSatisfying(
              l -> assertThat(l).startsWith("https://portal.example.com/done?session=cs_test_"));
      assertThat(fake.webhookStatuses()).last().isEqualTo(200);
      assertThat(status(subscription)).isEqualTo("active");
      assertThat(linked("subscription", subscription, "subscription")).startsWith("sub_");
      KeyRecord key = publishedKeys().getLast();
      assertThat(key.status()).isEqualTo(KeyStatus.ENABLED);
      assertThat(key.planIds()).containsExactly(plan.toString());
      assertThat(key.tenantId()).isEqualTo(tenant.toString());
      assertThat(key.appId()).isEqualTo(app.toString());

      // Paid now: a second checkout is refused.
      assertThat(checkout(subscription).statusCode()).isEqualTo(409);
    }

    @Test
    void refuses_without_the_internal_token() throws Exception {
      HttpResponse<String> response =
          post(
              "/billing/checkout-sessions",
              "{}",
              Map.of(BillingSettings.INTERNAL_TOKEN_HEADER, "wrong-token-000000000"));
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(fake.requests()).isEmpty();
    }

    @Test
    void refuses_free_plans_unknown_subscriptions_and_bad_input() throws Exception {
      UUID free = fixture.plan(tenant, "Free", "free", 0, 0, 0);
      UUID freeSub =
          fixture.subscription(
              tenant, fixture.app(tenant, user), free, "active", Instant.now(), null);
      assertThat(checkout(freeSub).statusCode()).isEqualTo(409);
      assertThat(checkout(UUID.randomUUID()).statusCode()).isEqualTo(404);
      HttpResponse<String> bad =
          post(
              "/billing/checkout-sessions",
              "{\"tenantId\":\"nope\"}",
              Map.of(BillingSettings.INTERNAL_TOKEN_HEADER, TOKEN));
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(bad.body()).getString("detail")).contains("tenantId");
      HttpResponse<String> notJson =
          post(
              "/billing/checkout-sessions",
              "not json",
              Map.of(BillingSettings.INTERNAL_TOKEN_HEADER, TOKEN));
      assertThat(notJson.statusCode()).isEqualTo(400);
      HttpResponse<String> array =
          post(
              "/billing/checkout-sessions",
              "[1]",
              Map.of(BillingSettings.INTERNAL_TOKEN_HEADER, TOKEN));
      assertThat(array.statusCode()).isEqualTo(400);
      assertThat(fake.requests()).isEmpty();
    }
  }

  @Nested
  class HostedCheckoutInABrowser {
    @Test
    void pressing_pay_activates_the_subscription_and_returns_to_the_success_url() throws Exception {
      HttpResponse<String> created =
          post(
              "/billing/checkout-sessions",
              new JsonObject()
                  .put("tenantId", tenant.toString())
                  .put("subscriptionId", subscription.toString())
                  .put("successUrl", base + "/health?session={CHECKOUT_SESSION_ID}")
                  .put("cancelUrl", base + "/health?cancelled=1")
                  .encode(),
              Map.of(BillingSettings.INTERNAL_TOKEN_HEADER, TOKEN));
      JsonObject session = new JsonObject(created.body());
      try (Chromium chromium = Chromium.launch();
          BrowserContext context = chromium.newContext(Chromium.DESKTOP)) {
        Page page = context.newPage();
        page.navigate(session.getString("url"));
        page.getByText("Pay").click();
        page.waitForURL(base + "/health?session=" + session.getString("sessionId"));
      }
      assertThat(status(subscription)).isEqualTo("active");
    }
  }

  @Nested
  class Webhooks {
    HttpResponse<String> deliver(String payload, String signature) throws Exception {
      return post("/stripe/webhook", payload, Map.of("Stripe-Signature", signature));
    }

    @Test
    void rejects_a_bad_signature_with_400_and_changes_nothing() throws Exception {
      String payload =
          new JsonObject()
              .put("id", "evt_forged")
              .put("type", "checkout.session.completed")
              .put(
                  "data",
                  new JsonObject()
                      .put(
                          "object",
                          new JsonObject()
                              .put("id", "cs_forged")
                              .put(
                                  "metadata",
                                  new JsonObject()
                                      .put("tenant_id", tenant.toString())
                                      .put("subscription_id", subscription.toString()))))
              .encode();

      HttpResponse<String> forged =
          deliver(payload, WebhookSigner.signatureHeader(payload, "whsec_someone_else"));
      HttpResponse<String> unsigned = post("/stripe/webhook", payload, Map.of());
      HttpResponse<String> stale =
          deliver(
              payload,
              WebhookSigner.signatureHeader(
                  payload, SECRET, Instant.now().getEpochSecond() - 3600));

      assertThat(List.of(forged.statusCode(), unsigned.statusCode(), stale.statusCode()))
          .containsOnly(400);
      assertThat(status(subscription)).isEqualTo("pending_payment");
      assertThat(
              owner.fetchCount(
                  STRIPE_WEBHOOK_EVENTS, STRIPE_WEBHOOK_EVENTS.EVENT_ID.eq("evt_forged")))
          .isZero();
      assertThat(publishedKeys()).isEmpty();
    }

    @Test
    void payment_failed_suspends_the_apps_keys_and_paid_reinstates_them() throws Exception {
      owner
          .update(SUBSCRIPTIONS)
          .set(SUBSCRIPTIONS.STATUS, "active")
          .where(SUBSCRIPTIONS.ID.eq(subscription))
          .execute();
      String revoked = fixture.key(tenant, app, "revoked");
      String failedId = "evt_failed_" + UUID.randomUUID();

      assertThat(fake.sendEvent(failedId, "invoice.payment_failed", invoiceFor(subscription)))
          .isEqualTo(200);

      assertThat(status(subscription)).isEqualTo("suspended");
      assertThat(keyStatus(keyHash)).isEqualTo("suspended");
      assertThat(keyStatus(revoked)).isEqualTo("revoked");
      KeyRecord suspended = publishedKeys().getLast();
      assertThat(suspended.status()).isEqualTo(KeyStatus.SUSPENDED);
      assertThat(suspended.planIds()).isEmpty();
      assertThat(suspended.usableAt(Instant.now())).isFalse();
      // The outbox row is keyed by the key hash, as the gateway reads the compacted topic.
      assertThat(owner.fetchCount(OUTBOX, OUTBOX.MESSAGE_KEY.eq(revoked))).isZero();

      // Stripe redelivers: nothing changes, nothing is published again.
      int rows = owner.fetchCount(OUTBOX);
      assertThat(fake.sendEvent(failedId, "invoice.payment_failed", invoiceFor(subscription)))
          .isEqualTo(200);
      assertThat(owner.fetchCount(OUTBOX)).isEqualTo(rows);

      fake.sendEvent("evt_paid_" + UUID.randomUUID(), "invoice.paid", invoiceFor(subscription));

      assertThat(status(subscription)).isEqualTo("active");
      assertThat(keyStatus(keyHash)).isEqualTo("enabled");
      KeyRecord reinstated = publishedKeys().getLast();
      assertThat(reinstated.status()).isEqualTo(KeyStatus.ENABLED);
      assertThat(reinstated.planIds()).containsExactly(plan.toString());
    }

    @Test
    void finds_the_subscription_by_its_stripe_id_without_metadata() throws Exception {
      owner
          .update(SUBSCRIPTIONS)
          .set(SUBSCRIPTIONS.STATUS, "active")
          .where(SUBSCRIPTIONS.ID.eq(subscription))
          .execute();
      String stripeSub = "sub_" + UUID.randomUUID();
      owner
          .insertInto(STRIPE_LINKS)
          .set(STRIPE_LINKS.TENANT_ID, tenant)
          .set(STRIPE_LINKS.ENTITY_TYPE, "subscription")
          .set(STRIPE_LINKS.ENTITY_ID, subscription)
          .set(STRIPE_LINKS.STRIPE_TYPE, "subscription")
          .set(STRIPE_LINKS.STRIPE_ID, stripeSub)
          .execute();

      fake.sendEvent(
          "evt_" + UUID.randomUUID(),
          "invoice.payment_failed",
          Map.of("id", "in_1", "object", "invoice", "subscription", stripeSub));

      assertThat(keyStatus(keyHash)).isEqualTo("suspended");
    }

    @Test
    void records_and_ignores_other_events() throws Exception {
      String id = "evt_other_" + UUID.randomUUID();
      assertThat(fake.sendEvent(id, "customer.updated", Map.of("id", "cus_1"))).isEqualTo(200);
      assertThat(owner.fetchCount(STRIPE_WEBHOOK_EVENTS, STRIPE_WEBHOOK_EVENTS.EVENT_ID.eq(id)))
          .isEqualTo(1);
    }

    String keyStatus(String hash) {
      standing.awaitSettled(tenant, app);
      return owner
          .select(API_KEYS.STATUS)
          .from(API_KEYS)
          .where(API_KEYS.KEY_HASH.eq(hash))
          .fetchOne(API_KEYS.STATUS);
    }
  }

  String linked(String entityType, UUID entityId, String stripeType) {
    return owner
        .select(STRIPE_LINKS.STRIPE_ID)
        .from(STRIPE_LINKS)
        .where(
            STRIPE_LINKS.ENTITY_TYPE.eq(entityType),
            STRIPE_LINKS.ENTITY_ID.eq(entityId),
            STRIPE_LINKS.STRIPE_TYPE.eq(stripeType))
        .fetchOne(STRIPE_LINKS.STRIPE_ID);
  }
}
