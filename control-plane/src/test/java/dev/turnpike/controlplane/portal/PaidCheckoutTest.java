package dev.turnpike.controlplane.portal;

import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscribing to a paid plan from the portal, against a stand-in for metering's billing endpoint
 * that speaks its documented contract ({@code POST /billing/checkout-sessions}, internal token
 * header, {@code 201 {sessionId, url}}).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaidCheckoutTest {
  static final String TOKEN = "internal-test-token";

  HttpServer billing;
  final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  final List<String> tokens = new CopyOnWriteArrayList<>();
  final AtomicInteger answer = new AtomicInteger(201);
  TestControlPlane cp;
  ApiClient api;
  String portal;
  String paidPlan;
  String approvalPlan;
  String tenant;
  String owner;
  DSLContext db;

  @BeforeAll
  void start(TestDatabase db) throws Exception {
    billing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    billing.createContext(
        "/billing/checkout-sessions",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          requests.add(new JsonObject(new String(body, StandardCharsets.UTF_8)));
          tokens.add(exchange.getRequestHeaders().getFirst("X-Turnpike-Internal-Token"));
          byte[] out =
              new JsonObject()
                  .put("sessionId", "cs_test_1")
                  .put("url", "http://127.0.0.1/checkout/cs_test_1")
                  .encode()
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.get(), out.length);
          exchange.getResponseBody().write(out);
          exchange.close();
        });
    billing.start();
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_CP_BILLING_URL",
                "http://127.0.0.1:" + billing.getAddress().getPort(),
                "TURNPIKE_CP_BILLING_TOKEN",
                TOKEN));
    api = cp.client();
    this.db = db.ownerDsl();
    owner = cp.token("owner");
    Fixture f = new Fixture(api, owner);
    String slug = "paid-" + UUID.randomUUID().toString().substring(0, 6);
    tenant =
        f.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "Paid"))
            .getString("id");
    portal = "/v1/portal/" + slug;
    String apiId = f.api(tenant);
    String integration = f.integration(tenant, apiId);
    f.route(tenant, apiId, integration, "GET", "/x");
    f.deploy(tenant, apiId, f.stage(tenant, apiId, "prod"));
    paidPlan =
        f.created(
                "/v1/tenants/" + tenant + "/usage-plans",
                new JsonObject()
                    .put("name", "Pro")
                    .put("pricing", new JsonObject().put("model", "flat").put("flatFeeCents", 1000))
                    .put(
                        "apiStages",
                        new JsonArray()
                            .add(new JsonObject().put("apiId", apiId).put("stage", "prod"))))
            .getString("id");
    approvalPlan =
        f.created(
                "/v1/tenants/" + tenant + "/usage-plans",
                new JsonObject()
                    .put("name", "Partner")
                    .put("requiresApproval", true)
                    .put("pricing", new JsonObject().put("model", "flat").put("flatFeeCents", 9900))
                    .put(
                        "apiStages",
                        new JsonArray()
                            .add(new JsonObject().put("apiId", apiId).put("stage", "prod"))))
            .getString("id");
  }

  @AfterAll
  void stop() {
    cp.close();
    billing.stop(0);
  }

  String developerApp(String token) {
    api.put(token, portal + "/me", new JsonObject());
    return api.post(token, portal + "/apps", new JsonObject().put("name", "Paid app"))
        .json()
        .getString("id");
  }

  JsonObject subscribe(String token, String app) {
    return subscribe(token, app, paidPlan);
  }

  JsonObject subscribe(String token, String app, String plan) {
    ApiClient.Answer answer =
        api.post(
            token,
            portal + "/apps/" + app + "/subscriptions",
            new JsonObject()
                .put("planId", plan)
                .put("successUrl", "http://localhost:8082/portal/x/apps/" + app + "?paid=1")
                .put("cancelUrl", "http://localhost:8082/portal/x/apps/" + app + "?paid=0"));
    return new JsonObject().put("status", answer.status()).put("body", answer.body());
  }

  @Test
  void a_paid_plan_waits_for_payment_and_answers_the_checkout_page() {
    answer.set(201);
    String token = cp.token("payer-" + UUID.randomUUID());
    String app = developerApp(token);
    JsonObject result = subscribe(token, app);
    assertThat(result.getInteger("status")).as(result.encode()).isEqualTo(201);
    JsonObject body = new JsonObject(result.getString("body"));
    assertThat(body.getString("checkoutUrl")).isEqualTo("http://127.0.0.1/checkout/cs_test_1");
    JsonObject subscription = body.getJsonObject("subscription");
    assertThat(subscription.getString("status")).isEqualTo("pending_payment");

    JsonObject sent = requests.getLast();
    assertThat(sent.fieldNames())
        .containsExactlyInAnyOrder("tenantId", "subscriptionId", "successUrl", "cancelUrl");
    assertThat(sent.getString("subscriptionId")).isEqualTo(subscription.getString("id"));
    assertThat(tokens.getLast()).isEqualTo(TOKEN);
  }

  @Test
  void when_billing_fails_the_pending_subscription_is_cancelled_and_the_answer_is_503() {
    answer.set(502);
    String token = cp.token("payer-" + UUID.randomUUID());
    String app = developerApp(token);
    JsonObject result = subscribe(token, app);
    assertThat(result.getInteger("status")).isEqualTo(503);
    assertThat(api.get(token, portal + "/apps/" + app).json().getJsonArray("subscriptions"))
        .isEmpty();
    // A retry starts clean instead of hitting "already subscribed".
    answer.set(201);
    assertThat(subscribe(token, app).getInteger("status")).isEqualTo(201);
  }

  @Test
  void a_subscription_still_waiting_for_payment_gets_a_new_checkout_page_and_a_paid_one_not() {
    answer.set(201);
    String token = cp.token("payer-" + UUID.randomUUID());
    String app = developerApp(token);
    JsonObject first = new JsonObject(subscribe(token, app).getString("body"));
    String id = first.getJsonObject("subscription").getString("id");
    String pay = portal + "/apps/" + app + "/subscriptions/" + id + "/checkout";
    JsonObject urls =
        new JsonObject()
            .put("successUrl", "http://localhost:8082/ok")
            .put("cancelUrl", "http://localhost:8082/cancel");
    ApiClient.Answer again = api.post(token, pay, urls);
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(again.json().getString("checkoutUrl")).startsWith("http://127.0.0.1/checkout/");
    assertThat(requests.getLast().getString("subscriptionId")).isEqualTo(id);

    String stranger = cp.token("stranger-" + UUID.randomUUID());
    api.put(stranger, portal + "/me", new JsonObject());
    assertThat(api.post(stranger, pay, urls).status()).isEqualTo(404);

    api.delete(token, portal + "/apps/" + app + "/subscriptions/" + id);
    assertThat(api.post(token, pay, urls).status()).isEqualTo(409);
  }

  static final JsonObject RETURN_URLS =
      new JsonObject()
          .put("successUrl", "http://localhost:8082/ok")
          .put("cancelUrl", "http://localhost:8082/cancel");

  /** The gateway's last word on a key: the outbox row the relay publishes. */
  KeyRecord gatewayKey(String key) {
    byte[] payload =
        db.select(OUTBOX.PAYLOAD)
            .from(OUTBOX)
            .where(OUTBOX.TOPIC.eq(Topics.KEYS), OUTBOX.MESSAGE_KEY.eq(ApiKeyHash.sha256Hex(key)))
            .orderBy(OUTBOX.ID.desc())
            .limit(1)
            .fetchOne(OUTBOX.PAYLOAD);
    return KeyRecord.CODEC.decode(payload);
  }

  String approve(String app, String subscription) {
    ApiClient.Answer approved =
        api.post(
            owner,
            "/v1/tenants/"
                + tenant
                + "/apps/"
                + app
                + "/subscriptions/"
                + subscription
                + "/approve",
            null);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    return approved.json().getString("status");
  }

  @Nested
  class ApprovalComesBeforePayment {
    @Test
    void a_paid_plan_that_needs_approval_sends_nobody_to_checkout_until_the_owner_approves() {
      answer.set(201);
      String token = cp.token("applicant-" + UUID.randomUUID());
      String app = developerApp(token);
      String key =
          api.post(token, portal + "/apps/" + app + "/keys", new JsonObject().put("name", "k"))
              .json()
              .getString("key");
      int checkoutsBefore = requests.size();

      JsonObject result = subscribe(token, app, approvalPlan);

      assertThat(result.getInteger("status")).as(result.encode()).isEqualTo(201);
      JsonObject body = new JsonObject(result.getString("body"));
      assertThat(body.getString("checkoutUrl")).isNull();
      String id = body.getJsonObject("subscription").getString("id");
      assertThat(body.getJsonObject("subscription").getString("status"))
          .isEqualTo("pending_approval");
      assertThat(requests).hasSize(checkoutsBefore);
      String pay = portal + "/apps/" + app + "/subscriptions/" + id + "/checkout";
      ApiClient.Answer early = api.post(token, pay, RETURN_URLS);
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.json().getString("detail")).contains("approv");
      assertThat(requests).hasSize(checkoutsBefore);

      // Approved, the plan is still not the developer's: it waits for the payment.
      assertThat(approve(app, id)).isEqualTo("approved");
      assertThat(gatewayKey(key).planIds()).doesNotContain(approvalPlan);
      assertThat(
              api.get(token, portal + "/apps/" + app)
                  .json()
                  .getJsonArray("subscriptions")
                  .getJsonObject(0)
                  .getString("status"))
          .isEqualTo("approved");

      ApiClient.Answer checkout = api.post(token, pay, RETURN_URLS);
      assertThat(checkout.status()).as(checkout.toString()).isEqualTo(201);
      assertThat(checkout.json().getString("checkoutUrl")).startsWith("http://127.0.0.1/checkout/");
      assertThat(requests.getLast().getString("subscriptionId")).isEqualTo(id);
    }

    @Test
    void the_management_api_never_makes_a_paid_subscription_active_without_payment() {
      String app =
          api.post(owner, "/v1/tenants/" + tenant + "/apps", new JsonObject().put("name", "Ops"))
              .json()
              .getString("id");
      String subs = "/v1/tenants/" + tenant + "/apps/" + app + "/subscriptions";
      String key =
          api.post(
                  owner,
                  "/v1/tenants/" + tenant + "/apps/" + app + "/keys",
                  new JsonObject().put("name", "k"))
              .json()
              .getString("key");

      ApiClient.Answer paid = api.post(owner, subs, new JsonObject().put("planId", paidPlan));
      assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
      assertThat(paid.json().getString("status")).isEqualTo("pending_payment");
      ApiClient.Answer needsApproval =
          api.post(owner, subs, new JsonObject().put("planId", approvalPlan));
      assertThat(needsApproval.json().getString("status")).isEqualTo("pending_approval");
      assertThat(approve(app, needsApproval.json().getString("id"))).isEqualTo("approved");
      // Waiting for payment is not waiting for approval: approving it again is refused.
      assertThat(
              api.post(owner, subs + "/" + paid.json().getString("id") + "/approve", null).status())
          .isEqualTo(409);

      assertThat(gatewayKey(key).planIds()).doesNotContain(paidPlan, approvalPlan);
    }
  }
}
