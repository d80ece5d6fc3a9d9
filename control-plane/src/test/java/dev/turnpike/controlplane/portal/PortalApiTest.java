package dev.turnpike.controlplane.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The developer portal's API against a real control plane and database: a tenant publishes an API
 * with a free, an approval-only, a hidden and a paid plan; developers register, manage their own
 * apps and keys, and never see anyone else's.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalApiTest {
  TestControlPlane cp;
  ApiClient api;
  TestDatabase db;
  String owner;
  String tenantId;
  String slug;
  String portal;
  String freePlan;
  String approvalPlan;
  String hiddenPlan;
  String paidPlan;
  String unpublishedApi;

  @BeforeAll
  void a_tenant_with_a_published_api(TestDatabase db) {
    this.db = db;
    cp = TestControlPlane.start(db);
    api = cp.client();
    owner = cp.token("owner");
    Fixture f = new Fixture(api, owner);
    slug = "acme-" + UUID.randomUUID().toString().substring(0, 6);
    tenantId =
        f.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "Acme"))
            .getString("id");
    portal = "/v1/portal/" + slug;
    String base = "/v1/tenants/" + tenantId;
    String apiId =
        f.created(
                base + "/apis",
                new JsonObject()
                    .put("slug", "weather")
                    .put("name", "Weather")
                    .put("description", "Forecasts for any city"))
            .getString("id");
    String integration = f.integration(tenantId, apiId);
    f.route(tenantId, apiId, integration, "GET", "/forecast");
    String stage = f.stage(tenantId, apiId, "prod");
    f.deploy(tenantId, apiId, stage);
    freePlan = plan(f, base, apiId, "Free", null, false);
    approvalPlan = plan(f, base, apiId, "Partner", null, true);
    hiddenPlan = plan(f, base, apiId, "Internal", null, false);
    paidPlan =
        plan(
            f,
            base,
            apiId,
            "Pro",
            new JsonObject().put("model", "flat").put("currency", "usd").put("flatFeeCents", 4900),
            false);
    assertThat(
            api.put(
                    owner,
                    base + "/usage-plans/" + hiddenPlan + "/portal-visibility",
                    new JsonObject().put("visible", false))
                .status())
        .isEqualTo(200);
    // An API with a stage but no deployment is not in the catalog.
    unpublishedApi =
        f.created(base + "/apis", new JsonObject().put("slug", "secret").put("name", "Secret"))
            .getString("id");
    f.stage(tenantId, unpublishedApi, "dev");
  }

  String plan(Fixture f, String base, String apiId, String name, JsonObject pricing, boolean ok) {
    JsonObject body =
        new JsonObject()
            .put("name", name)
            .put("requiresApproval", ok)
            .put("quota", new JsonObject().put("limit", 1000).put("period", "DAY"))
            .put(
                "apiStages",
                new JsonArray().add(new JsonObject().put("apiId", apiId).put("stage", "prod")));
    if (pricing != null) {
      body.put("pricing", pricing);
    }
    return f.created(base + "/usage-plans", body).getString("id");
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  /** A developer registered in the portal, with a token. */
  String developer(String name) {
    String token = cp.token(name + "-" + UUID.randomUUID());
    ApiClient.Answer registered =
        api.put(token, portal + "/me", new JsonObject().put("company", name + " Ltd"));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
    return token;
  }

  String app(String token) {
    ApiClient.Answer created =
        api.post(token, portal + "/apps", new JsonObject().put("name", "My app"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().getString("id");
  }

  @Nested
  class Catalog {
    @Test
    void lists_published_apis_to_anyone_without_a_token() {
      ApiClient.Answer answer = api.get(null, portal + "/apis");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(answer.items()).hasSize(1);
      assertThat(answer.items().getJsonObject(0).getString("slug")).isEqualTo("weather");
    }

    @Test
    void searches_name_and_description_ignoring_case() {
      assertThat(api.get(null, portal + "/apis?q=FORECAST").items()).hasSize(1);
      assertThat(api.get(null, portal + "/apis?q=stocks").items()).isEmpty();
    }

    @Test
    void shows_an_apis_offered_plans_with_prices_but_not_hidden_ones() {
      JsonObject weather = api.get(null, portal + "/apis/weather").json();
      assertThat(weather.getJsonArray("stages")).containsExactly("prod");
      JsonArray plans = weather.getJsonArray("plans");
      assertThat(plans.stream().map(p -> ((JsonObject) p).getString("name")))
          .containsExactlyInAnyOrder("Free", "Partner", "Pro");
      JsonObject pro =
          plans.stream()
              .map(JsonObject.class::cast)
              .filter(p -> p.getString("name").equals("Pro"))
              .findFirst()
              .orElseThrow();
      assertThat(pro.getBoolean("paid")).isTrue();
      assertThat(pro.getJsonObject("pricing").getLong("flatFeeCents")).isEqualTo(4900);
    }

    @Test
    void answers_404_for_an_unpublished_api_and_an_unknown_portal() {
      assertThat(api.get(null, portal + "/apis/secret").status()).isEqualTo(404);
      ApiClient.Answer unknown = api.get(null, "/v1/portal/no-such-tenant/apis");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void serves_the_document_without_backend_details() {
      ApiClient.Answer doc = api.get(null, portal + "/apis/weather/openapi");
      assertThat(doc.status()).as(doc.toString()).isEqualTo(200);
      assertThat(doc.body()).contains("/forecast").doesNotContain("backend.example.com");
      assertThat(doc.body()).doesNotContain("x-amazon-apigateway-integration");
      assertThat(doc.json().getJsonArray("servers").getJsonObject(0).getString("url"))
          .isEqualTo("/" + slug + "/weather/prod");
    }

    @Test
    void shows_the_branding_the_owner_set() {
      ApiClient.Answer set =
          api.put(
              owner,
              "/v1/tenants/" + tenantId + "/portal/branding",
              new JsonObject()
                  .put("displayName", "Acme Developers")
                  .put("logoUrl", "https://cdn.example.com/logo.png")
                  .put("primaryColor", "#112233")
                  .put("accentColor", "#abcdef"));
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      JsonObject branding = api.get(null, portal).json().getJsonObject("branding");
      assertThat(branding.getString("displayName")).isEqualTo("Acme Developers");
      assertThat(branding.getString("primaryColor")).isEqualTo("#112233");
    }

    @Test
    void rejects_branding_that_is_not_a_colour_or_a_web_url() {
      ApiClient.Answer bad =
          api.put(
              owner,
              "/v1/tenants/" + tenantId + "/portal/branding",
              new JsonObject()
                  .put("logoUrl", "javascript:alert(1)")
                  .put("primaryColor", "red;}body{display:none"));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("/logoUrl", "/primaryColor");
    }
  }

  @Nested
  class Registration {
    @Test
    void a_signed_in_person_is_not_a_developer_until_they_register() {
      String token = cp.token("newcomer-" + UUID.randomUUID());
      assertThat(api.get(token, portal + "/me").status()).isEqualTo(404);
      ApiClient.Answer apps = api.get(token, portal + "/apps");
      assertThat(apps.status()).isEqualTo(403);
      ApiClient.Answer me =
          api.put(token, portal + "/me", new JsonObject().put("company", "Newco"));
      assertThat(me.status()).as(me.toString()).isEqualTo(200);
      assertThat(me.json().getString("email")).endsWith("@example.com");
      assertThat(api.get(token, portal + "/apps").status()).isEqualTo(200);
      JsonArray developers = api.get(owner, "/v1/tenants/" + tenantId + "/developers").items();
      assertThat(developers.stream().map(d -> ((JsonObject) d).getString("company")))
          .contains("Newco");
    }

    @Test
    void a_developer_gets_no_management_rights_in_the_tenant() {
      String token = developer("dora");
      assertThat(api.get(token, "/v1/tenants/" + tenantId + "/apps").status()).isEqualTo(404);
    }

    @Test
    void rejects_an_invalid_email() {
      String token = cp.token("eve-" + UUID.randomUUID());
      ApiClient.Answer bad =
          api.put(token, portal + "/me", new JsonObject().put("email", "not an email"));
      assertThat(bad.status()).isEqualTo(400);
    }
  }

  @Nested
  class AppsAndKeys {
    @Test
    void creates_renames_and_deletes_an_app() {
      String token = developer("alice");
      String app = app(token);
      ApiClient.Answer renamed =
          api.put(token, portal + "/apps/" + app, new JsonObject().put("name", "Renamed"));
      assertThat(renamed.json().getString("name")).isEqualTo("Renamed");
      assertThat(api.delete(token, portal + "/apps/" + app).status()).isEqualTo(204);
      assertThat(api.get(token, portal + "/apps").items()).isEmpty();
    }

    @Test
    void a_free_plan_is_active_at_once_and_an_approval_plan_waits_for_the_owner() {
      String token = developer("alice");
      String app = app(token);
      ApiClient.Answer free =
          api.post(
              token,
              portal + "/apps/" + app + "/subscriptions",
              new JsonObject().put("planId", freePlan));
      assertThat(free.status()).as(free.toString()).isEqualTo(201);
      assertThat(free.json().getJsonObject("subscription").getString("status")).isEqualTo("active");
      ApiClient.Answer partner =
          api.post(
              token,
              portal + "/apps/" + app + "/subscriptions",
              new JsonObject().put("planId", approvalPlan));
      String pending = partner.json().getJsonObject("subscription").getString("id");
      assertThat(partner.json().getJsonObject("subscription").getString("status"))
          .isEqualTo("pending_approval");
      ApiClient.Answer rejected =
          api.post(
              owner,
              "/v1/tenants/" + tenantId + "/apps/" + app + "/subscriptions/" + pending + "/reject",
              null);
      assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
      assertThat(rejected.json().getString("status")).isEqualTo("cancelled");
    }

    @Test
    void a_hidden_plan_cannot_be_subscribed_from_the_portal() {
      String token = developer("alice");
      String app = app(token);
      ApiClient.Answer hidden =
          api.post(
              token,
              portal + "/apps/" + app + "/subscriptions",
              new JsonObject().put("planId", hiddenPlan));
      assertThat(hidden.status()).isEqualTo(400);
    }

    @Test
    void a_paid_plan_without_billing_configured_is_a_clear_503_and_subscribes_nothing() {
      String token = developer("alice");
      String app = app(token);
      ApiClient.Answer paid =
          api.post(
              token,
              portal + "/apps/" + app + "/subscriptions",
              new JsonObject()
                  .put("planId", paidPlan)
                  .put("successUrl", "http://localhost/ok")
                  .put("cancelUrl", "http://localhost/cancel"));
      assertThat(paid.status()).isEqualTo(503);
      assertThat(paid.json().getString("detail")).contains("billing");
      assertThat(api.get(token, portal + "/apps/" + app).json().getJsonArray("subscriptions"))
          .isEmpty();
    }

    @Test
    void issues_lists_rotates_with_grace_and_revokes_keys() {
      String token = developer("alice");
      String app = app(token);
      String keys = portal + "/apps/" + app + "/keys";
      ApiClient.Answer issued = api.post(token, keys, new JsonObject().put("name", "ci"));
      assertThat(issued.status()).isEqualTo(201);
      String full = issued.json().getString("key");
      String keyId = issued.json().getString("id");
      assertThat(full).startsWith(issued.json().getString("prefix"));
      JsonObject listed = api.get(token, keys).items().getJsonObject(0);
      assertThat(listed.getString("prefix")).isEqualTo(issued.json().getString("prefix"));
      assertThat(listed.encode()).doesNotContain(full);

      ApiClient.Answer rotated =
          api.post(
              token,
              keys + "/" + keyId + "/rotate",
              new JsonObject().put("gracePeriodSeconds", 3600));
      assertThat(rotated.status()).isEqualTo(201);
      Instant validUntil =
          Instant.parse(rotated.json().getJsonObject("previous").getString("expiresAt"));
      assertThat(validUntil)
          .isBetween(Instant.now().plusSeconds(3000), Instant.now().plusSeconds(3700));

      ApiClient.Answer revoked = api.post(token, keys + "/" + keyId + "/revoke", null);
      assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    }

    @Test
    void shows_usage_per_key_and_day_with_quota_used_and_remaining() throws Exception {
      String token = developer("alice");
      String app = app(token);
      api.post(
          token,
          portal + "/apps/" + app + "/subscriptions",
          new JsonObject().put("planId", freePlan));
      String keyId =
          api.post(token, portal + "/apps/" + app + "/keys", new JsonObject().put("name", "k"))
              .json()
              .getString("id");
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      aggregate(keyId, app, freePlan, today, 7);
      aggregate(keyId, app, freePlan, today.minusDays(1), 5);

      JsonObject usage = api.get(token, portal + "/apps/" + app + "/usage").json();
      JsonObject key = usage.getJsonArray("keys").getJsonObject(0);
      JsonArray days = key.getJsonArray("days");
      assertThat(days).hasSize(30);
      assertThat(days.getJsonObject(29).getString("day")).isEqualTo(today.toString());
      assertThat(days.getJsonObject(29).getLong("calls")).isEqualTo(7);
      assertThat(days.getJsonObject(28).getLong("calls")).isEqualTo(5);
      JsonObject quota = key.getJsonArray("quotas").getJsonObject(0);
      assertThat(quota.getLong("used")).isEqualTo(7);
      assertThat(quota.getLong("remaining")).isEqualTo(993);
    }

    @Test
    void lists_invoices_with_their_lines() throws Exception {
      String token = developer("alice");
      String app = app(token);
      String subscription =
          api.post(
                  token,
                  portal + "/apps/" + app + "/subscriptions",
                  new JsonObject().put("planId", freePlan))
              .json()
              .getJsonObject("subscription")
              .getString("id");
      String invoice = invoice(app, subscription);
      JsonArray invoices = api.get(token, portal + "/invoices").items();
      assertThat(invoices).hasSize(1);
      assertThat(invoices.getJsonObject(0).getLong("totalCents")).isEqualTo(1234);
      assertThat(
              invoices
                  .getJsonObject(0)
                  .getJsonArray("lines")
                  .getJsonObject(0)
                  .getString("description"))
          .isEqualTo("Requests");
      assertThat(api.get(token, portal + "/invoices/" + invoice).status()).isEqualTo(200);
    }
  }

  @Nested
  class Isolation {
    @Test
    void another_developer_gets_404_for_someone_elses_app_keys_usage_and_invoices()
        throws Exception {
      String alice = developer("alice");
      String bob = developer("bob");
      String app = app(alice);
      String subscription =
          api.post(
                  alice,
                  portal + "/apps/" + app + "/subscriptions",
                  new JsonObject().put("planId", freePlan))
              .json()
              .getJsonObject("subscription")
              .getString("id");
      String keyId =
          api.post(alice, portal + "/apps/" + app + "/keys", new JsonObject().put("name", "k"))
              .json()
              .getString("id");
      String invoice = invoice(app, subscription);
      String a = portal + "/apps/" + app;
      for (ApiClient.Answer answer :
          new ApiClient.Answer[] {
            api.get(bob, a),
            api.put(bob, a, new JsonObject().put("name", "stolen")),
            api.get(bob, a + "/keys"),
            api.post(bob, a + "/keys", new JsonObject().put("name", "x")),
            api.post(bob, a + "/keys/" + keyId + "/rotate", new JsonObject()),
            api.post(bob, a + "/keys/" + keyId + "/revoke", null),
            api.get(bob, a + "/usage"),
            api.post(bob, a + "/subscriptions", new JsonObject().put("planId", freePlan)),
            api.delete(bob, a + "/subscriptions/" + subscription),
            api.get(bob, portal + "/invoices/" + invoice),
            api.delete(bob, a)
          }) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
      }
      assertThat(api.get(bob, portal + "/apps").items()).isEmpty();
      assertThat(api.get(bob, portal + "/invoices").items()).isEmpty();
      JsonObject still = api.get(alice, a).json();
      assertThat(still.getString("name")).isEqualTo("My app");
      assertThat(api.get(alice, a + "/keys").items().getJsonObject(0).getString("status"))
          .isEqualTo("enabled");
    }

    @Test
    void a_developer_of_another_tenant_gets_404_too() {
      String alice = developer("alice");
      String app = app(alice);
      String carol = cp.token("carol-" + UUID.randomUUID());
      String other = "other-" + UUID.randomUUID().toString().substring(0, 6);
      new Fixture(api, carol)
          .created("/v1/tenants", new JsonObject().put("slug", other).put("name", "Other"));
      assertThat(api.put(carol, "/v1/portal/" + other + "/me", new JsonObject()).status())
          .isEqualTo(200);
      assertThat(api.get(carol, "/v1/portal/" + other + "/apps/" + app).status()).isEqualTo(404);
      assertThat(api.get(carol, "/v1/portal/" + other + "/apps").items()).isEmpty();
      // Registered elsewhere is not registered here.
      assertThat(api.get(carol, portal + "/apps/" + app).status()).isEqualTo(403);
    }
  }

  /** Usage as metering writes it: one day-granularity row per key, API, stage and plan. */
  void aggregate(String keyId, String appId, String planId, LocalDate day, long calls)
      throws Exception {
    try (Connection c = db.ownerDataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO usage_aggregates (tenant_id, granularity, bucket_start, api_id,"
                    + " stage, key_id, app_id, plan_id, calls) VALUES (?::uuid, 'day', ?, 'weather',"
                    + " 'prod', ?, ?, ?, ?)")) {
      s.setString(1, tenantId);
      s.setObject(2, day.atStartOfDay().atOffset(ZoneOffset.UTC));
      s.setString(3, keyId);
      s.setString(4, appId);
      s.setString(5, planId);
      s.setLong(6, calls);
      s.executeUpdate();
    }
  }

  /** An invoice as billing writes it. */
  String invoice(String appId, String subscriptionId) throws Exception {
    String id = UUID.randomUUID().toString();
    try (Connection c = db.ownerDataSource().getConnection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO invoices (id, tenant_id, app_id, subscription_id, period_start,"
                  + " period_end, currency, total_cents, status) VALUES (?::uuid, ?::uuid,"
                  + " ?::uuid, ?::uuid, now() - interval '30 days', now(), 'usd', 1234, 'open')")) {
        s.setString(1, id);
        s.setString(2, tenantId);
        s.setString(3, appId);
        s.setString(4, subscriptionId);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO invoice_lines (id, tenant_id, invoice_id, line_index, description,"
                  + " quantity, unit_price_micros, amount_cents) VALUES (gen_random_uuid(),"
                  + " ?::uuid, ?::uuid, 0, 'Requests', 1234, 10000, 1234)")) {
        s.setString(1, tenantId);
        s.setString(2, id);
        s.executeUpdate();
      }
    }
    return id;
  }
}
