package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CLI_CLIENT;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_EMAIL;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_EMAIL;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.controlplane.openapi.LargeDocuments;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner console over real HTTP against a real Keycloak (the realm of {@code infra/keycloak})
 * and a real PostgreSQL: every session here was made by the real OIDC flow, through Keycloak's
 * login form and the console's callback.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KeycloakExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {
  TestDatabase db;
  KeycloakServer keycloak;
  TestControlPlane cp;
  ConsoleClient owner;
  String tenantId;
  String tenantPath;
  String apiToken;
  Fixture fixture;

  @BeforeAll
  void start(TestDatabase db, KeycloakServer keycloak) {
    this.db = db;
    this.keycloak = keycloak;
    cp = ConsoleEnvironment.start(db, keycloak, null);
    owner = new ConsoleClient(ConsoleEnvironment.base(cp));
    HttpResponse<String> landed = owner.signIn(DEMO_OWNER, DEMO_OWNER_PASSWORD);
    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.body()).contains("Create your organization");

    HttpResponse<String> created =
        owner.post("/console/organizations", Map.of("name", "Acme", "slug", "acme-console"));
    assertThat(created.statusCode()).isEqualTo(303);
    tenantPath = location(created);
    assertThat(tenantPath).matches("/console/t/[0-9a-f-]{36}/");
    tenantId = tenantPath.split("/")[3];
    apiToken = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);
    fixture = new Fixture(api(), apiToken);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  ApiClient api() {
    return cp.client();
  }

  String v1(String path) {
    return "/v1/tenants/" + tenantId + path;
  }

  @Nested
  class SigningIn {
    @Test
    void first_sign_in_leads_to_the_organization_that_was_created_as_its_owner() {
      HttpResponse<String> home = owner.page("/console/");

      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.body()).contains("Dashboard").contains("Acme");
      JsonObject tenant = api().get(apiToken, "/v1/tenants/" + tenantId).json();
      assertThat(tenant.getString("slug")).isEqualTo("acme-console");
      assertThat(tenant.getString("role")).isEqualTo("owner");
    }

    @Test
    void the_session_cookie_is_http_only_same_site_lax_and_renewed_at_sign_in() {
      ConsoleClient browser = new ConsoleClient(owner.base);
      HttpResponse<String> before = browser.get("/console/");
      String cookieBefore = sessionCookieHeader(before);
      assertThat(cookieBefore)
          .containsIgnoringCase("HttpOnly")
          .containsIgnoringCase("SameSite=Lax")
          .contains("Path=/console")
          .doesNotContain("Secure");
      String idBefore = browser.sessionCookie().getValue();

      browser.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);

      assertThat(browser.sessionCookie().getValue()).isNotEqualTo(idBefore);
      assertThat(browser.page("/console/").body()).contains("Create your organization");
    }

    @Test
    void pages_ask_to_sign_in_without_a_session() {
      ConsoleClient stranger = new ConsoleClient(owner.base);

      HttpResponse<String> answer = stranger.get(tenantPath + "apis");

      assertThat(answer.statusCode()).isEqualTo(303);
      assertThat(location(answer))
          .isEqualTo("/console/login?return=%2Fconsole%2Ft%2F" + tenantId + "%2Fapis");
    }

    @Test
    void sign_in_then_returns_to_the_page_asked_for() {
      ConsoleClient browser = new ConsoleClient(owner.base);
      browser.get(tenantPath + "apis");
      HttpResponse<String> login =
          browser.get("/console/login?return=/console/t/" + tenantId + "/apis");
      assertThat(location(login)).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
      assertThat(location(login))
          .contains("code_challenge_method=S256")
          .contains("nonce=")
          .contains("state=");
    }

    @Test
    void sign_up_goes_to_keycloaks_registration_form() {
      ConsoleClient browser = new ConsoleClient(owner.base);

      HttpResponse<String> signUp = browser.get("/console/login?signup=1");
      HttpResponse<String> form = browser.absolute(location(signUp));

      assertThat(location(signUp))
          .startsWith(keycloak.issuer() + "/protocol/openid-connect/registrations?");
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(form.body()).contains("kc-register-form");
    }

    @Test
    void a_callback_that_no_sign_in_here_started_is_refused() {
      ConsoleClient browser = new ConsoleClient(owner.base);

      HttpResponse<String> answer = browser.get("/console/callback?state=forged&code=stolen");

      assertThat(answer.statusCode()).isEqualTo(502);
      assertThat(answer.body()).contains("does not belong to a sign-in started in this browser");
      assertThat(browser.page("/console/").body()).contains("Sign in");
    }

    @Test
    void sign_out_ends_the_console_session_and_the_keycloak_session() {
      ConsoleClient browser = new ConsoleClient(owner.base);
      browser.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);

      HttpResponse<String> out = browser.post("/console/logout", Map.of());

      assertThat(out.statusCode()).isEqualTo(303);
      assertThat(location(out))
          .startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?")
          .contains("id_token_hint=")
          .contains("post_logout_redirect_uri=");
      assertThat(browser.get("/console/organizations/new").statusCode()).isEqualTo(303);
      HttpResponse<String> keycloakLogout = browser.absolute(location(out));
      assertThat(keycloakLogout.statusCode()).isIn(200, 302);
    }
  }

  @Nested
  class Protection {
    @Test
    void pages_carry_a_script_free_policy_and_refuse_framing() {
      HttpResponse<String> page = owner.page(tenantPath);

      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'");
      assertThat(csp).doesNotContain("script-src").doesNotContain("unsafe-inline");
      assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
      assertThat(page.body()).doesNotContain("<script");
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_with_403_and_changes_nothing() {
      HttpResponse<String> answer =
          owner.postRaw(tenantPath + "apis", Map.of("name", "Sneaky", "slug", "sneaky"));

      assertThat(answer.statusCode()).isEqualTo(403);
      assertThat(answer.body()).contains("This form has expired");
      assertThat(api().get(apiToken, v1("/apis")).body()).doesNotContain("sneaky");
    }

    @Test
    void a_post_with_another_sessions_token_is_refused() {
      ConsoleClient other = new ConsoleClient(owner.base);
      other.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);
      String foreignToken = other.csrf();
      assertThat(foreignToken).isNotEqualTo(owner.csrf());

      HttpResponse<String> answer =
          owner.postRaw(
              tenantPath + "apis",
              Map.of("name", "Sneaky", "slug", "sneaky-2", "_csrf", foreignToken));

      assertThat(answer.statusCode()).isEqualTo(403);
      assertThat(api().get(apiToken, v1("/apis")).body()).doesNotContain("sneaky-2");
    }

    @Test
    void user_data_is_printed_as_text_never_as_markup() {
      HttpResponse<String> created =
          owner.post(
              tenantPath + "apis",
              Map.of(
                  "name",
                  "<script>alert(1)</script>",
                  "slug",
                  "xss",
                  "description",
                  "\"><img src=x onerror=alert(2)>"));
      assertThat(created.statusCode()).isEqualTo(303);

      HttpResponse<String> list = owner.page(tenantPath + "apis");
      HttpResponse<String> detail = owner.follow(created);

      for (HttpResponse<String> page : java.util.List.of(list, detail)) {
        assertThat(page.body())
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            .doesNotContain("<script>alert(1)")
            .doesNotContain("<img src=x");
      }
    }

    @Test
    void another_organizations_pages_are_not_found() {
      HttpResponse<String> answer = owner.get("/console/t/" + UUID.randomUUID() + "/apis");

      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      assertThat(answer.body()).contains("not found").doesNotContain("Exception");
    }

    @Test
    void an_unknown_console_path_is_a_friendly_404_page() {
      HttpResponse<String> answer = owner.get("/console/no/such/page");

      assertThat(answer.statusCode()).isEqualTo(404);
      assertThat(answer.body()).contains("There is no such page");
    }
  }

  @Nested
  class Validation {
    @Test
    void invalid_fields_come_back_with_the_message_beside_them_and_the_values_kept() {
      HttpResponse<String> answer =
          owner.post(tenantPath + "apis", Map.of("name", "Orders & Co", "slug", "Bad Slug!"));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .containsPattern(
              "id=\"api-slug\"[^>]*value=\"Bad Slug!\"[^>]*>\\s*<p class=\"error\">must be 1 to 40"
                  + " lower-case letters")
          .contains("value=\"Orders &amp; Co\"");
      assertThat(api().get(apiToken, v1("/apis")).body()).doesNotContain("Orders");
    }

    @Test
    void an_organization_slug_that_is_taken_is_reported_beside_the_slug() {
      HttpResponse<String> answer =
          owner.post("/console/organizations", Map.of("name", "Copy", "slug", "acme-console"));

      assertThat(answer.statusCode()).isEqualTo(409);
      assertThat(answer.body()).containsPattern("id=\"org-slug\"[^>]*>\\s*<p class=\"error\">");
    }

    @Test
    void tiered_pricing_without_tiers_is_explained_on_the_plan_form() {
      HttpResponse<String> answer =
          owner.post(
              tenantPath + "plans",
              Map.of(
                  "name",
                  "Tiered",
                  "status",
                  "active",
                  "pricing.model",
                  "graduated",
                  "pricing.currency",
                  "usd",
                  "pricing.unitPrice",
                  "0.0000001"));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .contains("has more than 6 decimal places")
          .doesNotContain("Exception");
      HttpResponse<String> second =
          owner.post(
              tenantPath + "plans",
              Map.of(
                  "name",
                  "Tiered",
                  "status",
                  "active",
                  "pricing.model",
                  "graduated",
                  "pricing.currency",
                  "usd"));
      assertThat(second.statusCode()).isEqualTo(400);
      assertThat(second.body()).contains("is required for graduated pricing");
      assertThat(api().get(apiToken, v1("/usage-plans")).body()).doesNotContain("Tiered");
    }
  }

  @Nested
  class ApisAndDeployments {
    @Test
    void routes_and_integrations_are_created_and_edited_through_forms() {
      String apiId = fixture.api(tenantId);
      String apiPath = tenantPath + "apis/" + apiId;

      HttpResponse<String> integration =
          owner.post(
              apiPath + "/integrations",
              Map.of(
                  "type",
                  "http",
                  "httpMethod",
                  "GET",
                  "uri",
                  "https://backend.example.com/pets",
                  "timeoutMillis",
                  "3000"));
      assertThat(integration.statusCode()).isEqualTo(303);
      String integrationId =
          api()
              .get(apiToken, v1("/apis/" + apiId + "/integrations"))
              .items()
              .getJsonObject(0)
              .getString("id");

      HttpResponse<String> route =
          owner.post(
              apiPath + "/routes",
              Map.of(
                  "method",
                  "GET",
                  "resourcePath",
                  "/pets",
                  "apiKeyRequired",
                  "on",
                  "integrationId",
                  integrationId));
      assertThat(route.statusCode()).isEqualTo(303);
      JsonObject created =
          api().get(apiToken, v1("/apis/" + apiId + "/routes")).items().getJsonObject(0);
      assertThat(created.getString("resourcePath")).isEqualTo("/pets");
      assertThat(created.getBoolean("apiKeyRequired")).isTrue();

      HttpResponse<String> edited =
          owner.post(
              apiPath + "/routes/" + created.getString("id"),
              Map.of(
                  "method", "POST", "resourcePath", "/pets/{id}", "integrationId", integrationId));
      assertThat(edited.statusCode()).isEqualTo(303);
      JsonObject after =
          api().get(apiToken, v1("/apis/" + apiId + "/routes/" + created.getString("id"))).json();
      assertThat(after.getString("method")).isEqualTo("POST");
      assertThat(after.getBoolean("apiKeyRequired")).isFalse();

      HttpResponse<String> page = owner.page(apiPath);
      assertThat(page.body()).contains("/pets/{id}").contains("https://backend.example.com/pets");
    }

    @Test
    void a_route_on_a_conflicting_path_keeps_the_form_filled_with_the_message() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/items/{id}");

      HttpResponse<String> answer =
          owner.post(
              tenantPath + "apis/" + apiId + "/routes",
              Map.of(
                  "method",
                  "GET",
                  "resourcePath",
                  "/items/{other}",
                  "integrationId",
                  integrationId));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .containsPattern(
              "id=\"route-path\"[^>]*value=\"/items/\\{other}\"[^>]*>\\s*<p class=\"error\">");
    }

    @Test
    void an_integration_in_use_stays_until_its_route_is_deleted() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      String routeId = fixture.route(tenantId, apiId, integrationId, "GET", "/in-use");
      String apiPath = tenantPath + "apis/" + apiId;

      HttpResponse<String> refused =
          owner.post(apiPath + "/integrations/" + integrationId + "/delete", Map.of());
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body())
          .contains("The integration is used by 1 route(s), e.g. GET /in-use");

      assertThat(owner.post(apiPath + "/routes/" + routeId + "/delete", Map.of()).statusCode())
          .isEqualTo(303);
      assertThat(
              owner
                  .post(apiPath + "/integrations/" + integrationId + "/delete", Map.of())
                  .statusCode())
          .isEqualTo(303);
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/routes")).items()).isEmpty();
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/integrations")).items()).isEmpty();
    }

    @Test
    void the_api_name_and_description_are_edited_and_audited() {
      String apiId = fixture.api(tenantId);

      HttpResponse<String> saved =
          owner.post(
              tenantPath + "apis/" + apiId + "/settings",
              Map.of("name", "Pets v2", "description", "Renamed"));

      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject after = api().get(apiToken, v1("/apis/" + apiId)).json();
      assertThat(after.getString("name")).isEqualTo("Pets v2");
      assertThat(after.getString("description")).isEqualTo("Renamed");
      assertThat(owner.page(tenantPath + "audit").body()).contains("api.update");
    }

    @Test
    void deploying_to_a_stage_and_rolling_back_point_the_stage_at_the_chosen_deployment() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/a");
      String apiPath = tenantPath + "apis/" + apiId;

      assertThat(owner.post(apiPath + "/stages", Map.of("name", "prod")).statusCode())
          .isEqualTo(303);
      String stageId =
          api()
              .get(apiToken, v1("/apis/" + apiId + "/stages"))
              .items()
              .getJsonObject(0)
              .getString("id");
      assertThat(
              owner
                  .post(
                      apiPath + "/deployments", Map.of("stageId", stageId, "description", "first"))
                  .statusCode())
          .isEqualTo(303);
      fixture.route(tenantId, apiId, integrationId, "GET", "/b");
      assertThat(
              owner
                  .post(
                      apiPath + "/deployments", Map.of("stageId", stageId, "description", "second"))
                  .statusCode())
          .isEqualTo(303);
      JsonArray deployments = api().get(apiToken, v1("/apis/" + apiId + "/deployments")).items();
      assertThat(deployments).hasSize(2);
      String first =
          deployments.stream()
              .map(JsonObject.class::cast)
              .filter(d -> "first".equals(d.getString("description")))
              .findFirst()
              .orElseThrow()
              .getString("id");

      HttpResponse<String> rollback =
          owner.post(apiPath + "/stages/" + stageId + "/rollback", Map.of("deploymentId", first));

      assertThat(rollback.statusCode()).isEqualTo(303);
      assertThat(
              api()
                  .get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId))
                  .json()
                  .getString("deploymentId"))
          .isEqualTo(first);
      assertThat(owner.page(apiPath).body()).contains(first.substring(0, 8)).contains("(first)");
    }

    @Test
    void a_deployment_is_shown_pending_then_failed_with_the_reason_kafka_gave() {
      String apiId = fixture.api(tenantId);
      fixture.route(tenantId, apiId, fixture.integration(tenantId, apiId), "GET", "/a");
      String stageId = fixture.stage(tenantId, apiId, "big");
      String deploymentId = fixture.deploy(tenantId, apiId, stageId).getString("id");
      String apiPath = tenantPath + "apis/" + apiId;
      // No relay runs here: the record waits in the outbox.
      assertThat(owner.page(apiPath).body()).containsPattern("class=\"muted\">pending</span>");

      // As the relay parks a record Kafka refused.
      db.ownerDsl()
          .update(OUTBOX)
          .set(OUTBOX.FAILED_AT, java.time.OffsetDateTime.now())
          .set(OUTBOX.FAILURE, "the config record of 2.6 MB exceeds the size limit Kafka accepts")
          .where(OUTBOX.DEPLOYMENT_ID.eq(UUID.fromString(deploymentId)))
          .execute();

      assertThat(owner.page(apiPath).body())
          .contains("failed: the config record of 2.6 MB exceeds the size limit Kafka accepts")
          .doesNotContain("class=\"muted\">pending</span>");
      assertThat(owner.page(apiPath + "/stages/" + stageId).body())
          .contains("Serving deployment")
          .contains("failed: the config record of 2.6 MB exceeds the size limit Kafka accepts");
    }

    @Test
    void stage_variables_and_throttle_are_edited_and_a_bad_line_is_explained() {
      String apiId = fixture.api(tenantId);
      String stageId = fixture.stage(tenantId, apiId, "vars");
      String stagePath = tenantPath + "apis/" + apiId + "/stages/" + stageId;
      assertThat(owner.page(stagePath).body()).contains("host=b.example.com");

      HttpResponse<String> bad = owner.post(stagePath, Map.of("variables", "no equals sign"));
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body())
          .containsPattern(
              "id=\"stage-variables\"[^>]*>no equals sign</textarea>\\s*<p class=\"error\">line 1");

      HttpResponse<String> saved =
          owner.post(
              stagePath,
              Map.of(
                  "variables", "petHost=pets.example.com\n\nregion=eu",
                  "throttle.rate", "5.5",
                  "throttle.burst", "10"));
      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject stage = api().get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId)).json();
      assertThat(stage.getJsonObject("variables").getMap())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("petHost", "pets.example.com", "region", "eu"));
      assertThat(stage.getJsonObject("throttle").getDouble("rateLimit")).isEqualTo(5.5);
    }

    @Test
    void deploying_an_api_without_routes_explains_why_not() {
      String apiId = fixture.api(tenantId);
      String stageId = fixture.stage(tenantId, apiId, "dev");

      HttpResponse<String> answer =
          owner.post(tenantPath + "apis/" + apiId + "/deployments", Map.of("stageId", stageId));

      assertThat(answer.statusCode()).isEqualTo(409);
      assertThat(answer.body()).contains("The API has no routes; add one before deploying");
    }

    @Test
    void an_openapi_document_with_problems_is_listed_with_json_pointers_and_imports_nothing() {
      String apiId = fixture.api(tenantId);

      HttpResponse<String> answer =
          owner.postMultipart(
              tenantPath + "apis/" + apiId + "/import",
              Map.of(
                  "mode",
                  "overwrite",
                  "document",
                  "{\"openapi\":\"3.0.1\",\"info\":{\"title\":\"x\",\"version\":\"1\"},"
                      + "\"paths\":{\"/pets\":{\"get\":{\"x-amazon-apigateway-integration\":"
                      + "{\"type\":\"http\",\"httpMethod\":\"GET\",\"uri\":\"not a url\"}}}}}"));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body()).contains("<code>/paths/~1pets/get/x-amazon-apigateway-integration");
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/routes")).items()).isEmpty();
    }

    @Test
    void a_pasted_document_larger_than_8_kib_is_imported() {
      String apiId = fixture.api(tenantId);
      String document = LargeDocuments.withMocks(100); // about 13 KB in one form field
      assertThat(document.length()).isGreaterThan(8192);

      HttpResponse<String> answer =
          owner.postMultipart(
              tenantPath + "apis/" + apiId + "/import",
              Map.of("mode", "overwrite", "document", document));

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("100 routes");
    }

    @Test
    void a_document_with_thousands_of_problems_lists_the_first_100_and_the_total() {
      String apiId = fixture.api(tenantId);

      HttpResponse<String> answer =
          owner.postFile(
              tenantPath + "apis/" + apiId + "/import",
              Map.of("mode", "overwrite"),
              "file",
              "openapi.json",
              LargeDocuments.withoutIntegrations(5_000));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .contains(
              "The OpenAPI document has 5000 problems; nothing was changed (the first 100 are")
          .contains("<code>/paths/~1svc0~1items~1{id}~1op0/get</code>")
          .doesNotContain("<code>/paths/~1svc1~1items~1{id}~1op100/get</code>");
    }

    @Test
    void an_uploaded_document_of_10_000_paths_is_imported() {
      String apiId = fixture.api(tenantId);

      long start = System.nanoTime();
      HttpResponse<String> answer =
          owner.postFile(
              tenantPath + "apis/" + apiId + "/import",
              Map.of("mode", "overwrite"),
              "file",
              "openapi.json",
              LargeDocuments.withMocks(10_000));
      System.out.printf(
          "ConsoleTest: 10,000 paths imported through the console in %.2f s (%,d bytes of page)%n",
          (System.nanoTime() - start) / 1e9, answer.body().length());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("overwrite: 10000 routes and 10000 integrations");
    }

    @Test
    void a_document_past_the_size_limit_is_refused_naming_the_limit() {
      String apiId = fixture.api(tenantId);
      String tooLarge = "{" + " ".repeat(7 * 1024 * 1024) + "}";

      HttpResponse<String> answer =
          owner.postFile(
              tenantPath + "apis/" + apiId + "/import",
              Map.of("mode", "overwrite"),
              "file",
              "openapi.json",
              tooLarge);

      assertThat(answer.statusCode()).isEqualTo(413);
      assertThat(answer.body())
          .contains("TURNPIKE_CP_LIMIT_IMPORT_DOCUMENT_BYTES")
          .contains("6,291,456");
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/routes")).items()).isEmpty();
    }

    @Test
    void stage_variables_past_the_limit_are_refused_beside_the_field_naming_the_limit() {
      String apiId = fixture.api(tenantId);
      String stageId = fixture.stage(tenantId, apiId, "many");
      StringBuilder variables = new StringBuilder();
      for (int i = 0; i < 101; i++) {
        variables.append("v").append(i).append("=x\n");
      }

      HttpResponse<String> answer =
          owner.post(
              tenantPath + "apis/" + apiId + "/stages/" + stageId,
              Map.of("variables", variables.toString()));

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
      assertThat(answer.body())
          .contains("the limit is 100 variables per stage (TURNPIKE_CP_LIMIT_STAGE_VARIABLES)");
      assertThat(
              api()
                  .get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId))
                  .json()
                  .getJsonObject("variables")
                  .size())
          .isEqualTo(1);
    }

    @Test
    void an_imported_document_becomes_the_routes_and_exports_again() {
      String apiId = fixture.api(tenantId);

      HttpResponse<String> answer =
          owner.postMultipart(
              tenantPath + "apis/" + apiId + "/import",
              Map.of("mode", "overwrite", "document", ConsoleBrowserTest.petstore()));

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("Document imported").contains("/pets/{petId}");
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/routes")).body())
          .contains("\"resourcePath\":\"/pets/{petId}\"");
      HttpResponse<String> exported = owner.get(tenantPath + "apis/" + apiId + "/openapi.yaml");
      assertThat(exported.statusCode()).isEqualTo(200);
      assertThat(exported.body()).contains("/pets/{petId}:");
    }
  }

  @Nested
  class Plans {
    @Test
    void a_plan_with_tiers_throttle_and_quota_is_bound_to_an_api_stage() {
      String apiId = fixture.api(tenantId);
      fixture.stage(tenantId, apiId, "live");
      Map<String, String> form = new LinkedHashMap<>();
      form.put("name", "Growth");
      form.put("status", "active");
      form.put("throttle.rate", "25");
      form.put("throttle.burst", "50");
      form.put("quota.limit", "100000");
      form.put("quota.period", "MONTH");
      form.put("pricing.model", "graduated");
      form.put("pricing.currency", "usd");
      form.put("pricing.flatFee", "19.90");
      form.put("tier.0.upTo", "1000");
      form.put("tier.0.unitPrice", "0");
      form.put("tier.1.unitPrice", "0.002");
      form.put("stage", apiId + "/live");

      HttpResponse<String> answer = owner.post(tenantPath + "plans", form);

      assertThat(answer.statusCode()).isEqualTo(303);
      JsonObject plan =
          api().get(apiToken, v1("/usage-plans")).items().stream()
              .map(JsonObject.class::cast)
              .filter(p -> p.getString("name").equals("Growth"))
              .findFirst()
              .orElseThrow();
      assertThat(plan.getJsonObject("throttle").getDouble("rateLimit")).isEqualTo(25.0);
      assertThat(plan.getJsonObject("quota").getLong("limit")).isEqualTo(100_000L);
      JsonObject pricing = plan.getJsonObject("pricing");
      assertThat(pricing.getLong("flatFeeCents")).isEqualTo(1990L);
      assertThat(pricing.getJsonArray("tiers").getJsonObject(1).getLong("unitPriceMicros"))
          .isEqualTo(2000L);
      assertThat(plan.getJsonArray("apiStages").getJsonObject(0).getString("stage"))
          .isEqualTo("live");

      HttpResponse<String> edit = owner.page(tenantPath + "plans/" + plan.getString("id"));
      assertThat(edit.body()).contains("value=\"19.9\"").contains("value=\"0.002\"");
      assertThat(edit.body()).containsPattern("value=\"" + apiId + "/live\"[^>]*checked");
    }

    @Test
    void a_plan_counted_per_subscription_reaches_the_api_and_the_gateways_plan_record() {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("name", "Team " + UUID.randomUUID());
      form.put("status", "active");
      form.put("limitScope", "subscription");
      form.put("quota.limit", "500");
      form.put("quota.period", "DAY");
      form.put("pricing.model", "free");
      form.put("pricing.currency", "usd");

      HttpResponse<String> answer = owner.post(tenantPath + "plans", form);

      assertThat(answer.statusCode()).isEqualTo(303);
      JsonObject plan =
          api().get(apiToken, v1("/usage-plans")).items().stream()
              .map(JsonObject.class::cast)
              .filter(p -> p.getString("name").equals(form.get("name")))
              .findFirst()
              .orElseThrow();
      assertThat(plan.getString("limitScope")).isEqualTo("subscription");
      PlanRecord record =
          PlanRecord.CODEC.decode(
              lastOutbox(Topics.PLANS, Topics.planKey(tenantId, plan.getString("id"))));
      assertThat(record.limitScope())
          .isEqualTo(dev.turnpike.contracts.config.LimitScope.SUBSCRIPTION);
      assertThat(owner.page(tenantPath + "plans/" + plan.getString("id")).body())
          .containsPattern("value=\"subscription\"[^>]*selected");

      form.put("limitScope", "per-app");
      HttpResponse<String> refused = owner.post(tenantPath + "plans", form);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body())
          .containsPattern("id=\"plan-scope\"[\\s\\S]*?class=\"error\">must be key");
    }
  }

  @Nested
  class DeveloperPortal {
    @Test
    void branding_saved_on_the_portal_page_is_what_the_portal_shows() {
      HttpResponse<String> answer =
          owner.post(
              tenantPath + "portal/branding",
              Map.of(
                  "displayName", "Acme Developers",
                  "logoUrl", "https://cdn.acme.test/logo.png",
                  "primaryColor", "#112233",
                  "accentColor", "#AABBCC"));

      assertThat(answer.statusCode()).isEqualTo(303);
      assertThat(location(answer)).isEqualTo(tenantPath + "portal");
      JsonObject branding =
          api().get(null, "/v1/portal/acme-console").json().getJsonObject("branding");
      assertThat(branding.getString("displayName")).isEqualTo("Acme Developers");
      assertThat(branding.getString("logoUrl")).isEqualTo("https://cdn.acme.test/logo.png");
      assertThat(branding.getString("primaryColor")).isEqualTo("#112233");
      assertThat(branding.getString("accentColor")).isEqualTo("#AABBCC");
      HttpResponse<String> page = owner.page(tenantPath + "portal");
      assertThat(page.body())
          .contains("Developer portal")
          .containsPattern("id=\"portal-name\"[^>]*value=\"Acme Developers\"")
          .containsPattern("id=\"portal-primary\"[^>]*value=\"#112233\"");
    }

    @Test
    void a_bad_colour_is_explained_beside_its_field_and_changes_nothing() {
      JsonObject before =
          api().get(null, "/v1/portal/acme-console").json().getJsonObject("branding");

      HttpResponse<String> answer =
          owner.post(
              tenantPath + "portal/branding",
              Map.of(
                  "displayName", "Evil Portal",
                  "primaryColor", "red;}body{x:y",
                  "accentColor", "#e8a33d"));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .containsPattern(
              "id=\"portal-primary\"[^>]*value=\"red;}body\\{x:y\"[^>]*>\\s*<p"
                  + " class=\"error\">must be a colour like #1f4b99")
          .containsPattern("id=\"portal-name\"[^>]*value=\"Evil Portal\"");
      assertThat(api().get(null, "/v1/portal/acme-console").json().getJsonObject("branding"))
          .isEqualTo(before);
    }

    @Test
    void a_plan_is_hidden_from_the_portal_and_shown_again() {
      String apiId = fixture.api(tenantId);
      fixture.stage(tenantId, apiId, "portal");
      String planId = fixture.plan(tenantId, apiId, "portal");
      String toggle = tenantPath + "portal/plans/" + planId + "/visibility";

      HttpResponse<String> hidden = owner.post(toggle, Map.of("visible", "false"));

      assertThat(hidden.statusCode()).isEqualTo(303);
      assertThat(owner.page(tenantPath + "portal").body())
          .containsPattern(
              "<td>hidden</td>\\s*<td>\\s*<form method=\"post\" action=\"" + toggle + "\"");
      assertThat(owner.post(toggle, Map.of("visible", "true")).statusCode()).isEqualTo(303);
      assertThat(owner.page(tenantPath + "portal").body())
          .containsPattern(
              "<td>shown</td>\\s*<td>\\s*<form method=\"post\" action=\"" + toggle + "\"");
      assertThat(api().get(apiToken, v1("/audit")).body()).contains("plan.portal_visibility");
    }
  }

  @Nested
  class AppsAndAudit {
    @Test
    void a_developers_key_is_listed_by_prefix_and_revoked_from_the_console() {
      String appId = fixture.app(tenantId);
      JsonObject key = fixture.key(tenantId, appId);

      HttpResponse<String> apps = owner.page(tenantPath + "apps");
      assertThat(apps.body())
          .contains("Mobile app")
          .contains(key.getString("prefix"))
          .doesNotContain(key.getString("key"));

      HttpResponse<String> revoked =
          owner.post(
              tenantPath + "apps/" + appId + "/keys/" + key.getString("id") + "/revoke", Map.of());

      assertThat(revoked.statusCode()).isEqualTo(303);
      assertThat(
              api()
                  .get(apiToken, v1("/apps/" + appId + "/keys/" + key.getString("id")))
                  .json()
                  .getString("status"))
          .isEqualTo("revoked");
    }

    @Test
    void a_subscription_waiting_for_approval_is_approved_from_the_console() {
      String apiId = fixture.api(tenantId);
      fixture.stage(tenantId, apiId, "gated");
      String planId =
          fixture
              .created(
                  v1("/usage-plans"),
                  new JsonObject()
                      .put("name", "Gated")
                      .put("requiresApproval", true)
                      .put(
                          "apiStages",
                          new JsonArray()
                              .add(new JsonObject().put("apiId", apiId).put("stage", "gated"))))
              .getString("id");
      String appId = fixture.app(tenantId);
      String subscriptionId = fixture.subscribe(tenantId, appId, planId);
      assertThat(owner.page(tenantPath + "apps").body()).contains("(pending_approval)");

      HttpResponse<String> approved =
          owner.post(
              tenantPath + "apps/" + appId + "/subscriptions/" + subscriptionId + "/approve",
              Map.of());

      assertThat(approved.statusCode()).isEqualTo(303);
      assertThat(
              api()
                  .get(apiToken, v1("/apps/" + appId + "/subscriptions/" + subscriptionId))
                  .json()
                  .getString("status"))
          .isEqualTo("active");
      HttpResponse<String> again =
          owner.post(
              tenantPath + "apps/" + appId + "/subscriptions/" + subscriptionId + "/approve",
              Map.of());
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("Only a subscription pending approval can be approved");
    }

    @Test
    void the_audit_log_shows_what_the_console_changed_and_who() {
      owner.post(tenantPath + "apis", Map.of("name", "Audited", "slug", "audited"));

      HttpResponse<String> audit = owner.page(tenantPath + "audit");

      assertThat(audit.statusCode()).isEqualTo(200);
      // The newest entry comes first; older ones, such as tenant.create, may be on later pages.
      assertThat(audit.body())
          .containsPattern("<td>demo-owner@example.com</td>\\s*<td><code>api.create</code></td>");
    }

    @Test
    void the_audit_log_pages_through_older_entries() {
      for (int i = 0; i < 51; i++) {
        fixture.app(tenantId);
      }

      HttpResponse<String> first = owner.page(tenantPath + "audit");
      java.util.regex.Matcher older =
          java.util.regex.Pattern.compile("href=\"(/console/t/[^\"]+/audit\\?before=(\\d+))\"")
              .matcher(first.body());
      assertThat(older.find()).as("a link to older entries").isTrue();
      HttpResponse<String> second = owner.page(older.group(1));

      assertThat(first.body().split("<tr>", -1)).hasSize(1 + 1 + 50);
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.body()).contains("Newest").contains("app.create");
      assertThat(owner.get(tenantPath + "audit?before=nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void the_dashboard_sums_the_last_days_metered_traffic_per_stage() throws SQLException {
      String apiId = fixture.api(tenantId);
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
      aggregate(apiId, "prod", hour.minus(2, ChronoUnit.HOURS), 40, 3, 1);
      aggregate(apiId, "prod", hour, 2, 0, 0);
      aggregate(apiId, "prod", hour.minus(30, ChronoUnit.HOURS), 1000, 0, 0);

      HttpResponse<String> dashboard = owner.page(tenantPath);

      assertThat(dashboard.body())
          .containsPattern(
              "<td>prod</td>\\s*<td class=\"num\">42</td>\\s*<td class=\"num\">3</td>\\s*<td class=\"num\">1</td>");
    }

    void aggregate(String apiId, String stage, Instant bucket, long calls, long e4, long e5)
        throws SQLException {
      try (Connection c = db.systemDataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO usage_aggregates (tenant_id, granularity, bucket_start, api_id,"
                      + " stage, key_id, app_id, plan_id, calls, errors_4xx, errors_5xx)"
                      + " VALUES (?::uuid, 'hour', ?, ?, ?, 'k', 'a', 'p', ?, ?, ?)")) {
        s.setString(1, tenantId);
        s.setTimestamp(2, Timestamp.from(bucket));
        s.setString(3, apiId);
        s.setString(4, stage);
        s.setLong(5, calls);
        s.setLong(6, e4);
        s.setLong(7, e5);
        s.executeUpdate();
      }
    }
  }

  @Nested
  class Members {
    @Test
    void an_owner_adds_a_member_by_email_changes_their_role_and_removes_them() {
      String carol = insertUser("carol-" + UUID.randomUUID() + "@example.com", "Carol");
      String members = tenantPath + "members";

      HttpResponse<String> added = owner.post(members, Map.of("email", carol, "role", "admin"));

      assertThat(added.statusCode()).isEqualTo(303);
      assertThat(location(added)).isEqualTo(members);
      HttpResponse<String> list = owner.follow(added);
      assertThat(list.body())
          .contains(
              "If "
                  + carol
                  + " belongs to a Turnpike account whose email address is verified,"
                  + " they are now admin.")
          .containsPattern(
              "<td>" + java.util.regex.Pattern.quote(carol) + "</td>\\s*<td>admin</td>");
      JsonObject member = member(carol);
      assertThat(member.getString("role")).isEqualTo("admin");
      String userId = member.getString("userId");

      HttpResponse<String> changed =
          owner.post(members + "/" + userId + "/role", Map.of("role", "viewer"));
      assertThat(changed.statusCode()).isEqualTo(303);
      assertThat(owner.follow(changed).body()).contains("is now viewer (was admin)");
      assertThat(member(carol).getString("role")).isEqualTo("viewer");

      HttpResponse<String> removed = owner.post(members + "/" + userId + "/remove", Map.of());
      assertThat(removed.statusCode()).isEqualTo(303);
      assertThat(owner.follow(removed).body()).contains("Carol (" + carol + ") was removed.");
      assertThat(member(carol)).isNull();

      String audit = api().get(apiToken, v1("/audit")).body();
      assertThat(audit).contains("member.add").contains("member.update").contains("member.remove");
      assertThat(owner.page(tenantPath + "audit").body())
          .containsPattern(
              "<td>demo-owner@example.com</td>\\s*<td><code>member.remove</code></td>\\s*<td>member "
                  + userId.substring(0, 8));
    }

    /**
     * The attack: anyone may register any address at the identity provider (this realm verifies
     * none), so someone who registers the CFO's address before the CFO does must not be the one an
     * owner adds by that address; and the answer must not tell the owner, or anyone probing
     * addresses, that an unverified account holds it.
     */
    @Test
    void an_address_registered_without_verifying_it_adds_nobody_and_answers_as_an_unknown_one() {
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      String cfo = "cfo-" + suffix + "@victim.example";
      String unknown = "nobody-" + suffix + "@victim.example";
      ConsoleClient squatter = new ConsoleClient(owner.base);
      HttpResponse<String> landed =
          squatter.signUp("squatter-" + suffix, cfo, "squatter-password-" + suffix);
      assertThat(landed.body()).contains("Create your organization");

      // Each answer is read before the next request: the flash message lives in the session.
      HttpResponse<String> squatted =
          owner.post(tenantPath + "members", Map.of("email", cfo, "role", "admin"));
      String squattedPage = owner.follow(squatted).body();
      HttpResponse<String> nobody =
          owner.post(tenantPath + "members", Map.of("email", unknown, "role", "admin"));
      String nobodyPage = owner.follow(nobody).body();

      assertThat(squatted.statusCode()).isEqualTo(nobody.statusCode()).isEqualTo(303);
      assertThat(flash(squattedPage).replace(cfo, "ADDRESS"))
          .isEqualTo(flash(nobodyPage).replace(unknown, "ADDRESS"))
          .contains("verified");
      assertThat(member(cfo)).isNull();
    }

    String flash(String page) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("<p class=\"notice\" role=\"status\">([^<]*)<")
              .matcher(page);
      assertThat(m.find()).as("a flash message in " + page).isTrue();
      return m.group(1);
    }

    @Test
    void the_flash_message_is_shown_once() {
      String dave = insertUser("dave-" + UUID.randomUUID() + "@example.com", "Dave");
      HttpResponse<String> added =
          owner.post(tenantPath + "members", Map.of("email", dave, "role", "viewer"));

      assertThat(owner.follow(added).body()).contains("they are now viewer");
      assertThat(owner.page(tenantPath + "members").body()).doesNotContain("they are now");
      api().delete(apiToken, v1("/members/" + member(dave).getString("userId")));
    }

    @Test
    void an_email_nobody_signed_in_with_adds_nobody_and_says_so_without_saying_why() {
      HttpResponse<String> answer =
          owner.post(
              tenantPath + "members", Map.of("email", "stranger@example.com", "role", "viewer"));

      assertThat(answer.statusCode()).isEqualTo(303);
      assertThat(flash(owner.follow(answer).body()))
          .isEqualTo(
              "If stranger@example.com belongs to a Turnpike account whose email address is"
                  + " verified, they are now viewer. Someone without one must sign up and verify"
                  + " their address first.");
      assertThat(member("stranger@example.com")).isNull();
    }

    @Test
    void an_email_that_several_users_verified_adds_nobody_rather_than_a_guess() {
      String shared = "shared-" + UUID.randomUUID() + "@example.com";
      insertUser(shared, "One");
      insertUser(shared.toUpperCase(java.util.Locale.ROOT), "Two");

      HttpResponse<String> answer =
          owner.post(tenantPath + "members", Map.of("email", shared, "role", "viewer"));

      assertThat(answer.statusCode()).isEqualTo(303);
      assertThat(member(shared)).isNull();
    }

    @Test
    void someone_who_is_a_member_already_is_not_added_again_and_keeps_their_role() {
      HttpResponse<String> answer =
          owner.post(
              tenantPath + "members",
              Map.of(
                  "email", DEMO_OWNER_EMAIL.toUpperCase(java.util.Locale.ROOT), "role", "viewer"));

      assertThat(answer.statusCode()).isEqualTo(409);
      assertThat(answer.body())
          .containsPattern(
              "id=\"member-email\"[^>]*>\\s*<p class=\"error\">is a member already \\(owner\\)");
      assertThat(member(DEMO_OWNER_EMAIL).getString("role")).isEqualTo("owner");
    }

    @Test
    void the_last_owner_can_be_neither_demoted_nor_removed() {
      String me = member(DEMO_OWNER_EMAIL).getString("userId");
      int auditBefore = api().get(apiToken, v1("/audit?limit=500")).items().size();

      HttpResponse<String> demoted =
          owner.post(tenantPath + "members/" + me + "/role", Map.of("role", "admin"));
      HttpResponse<String> removed = owner.post(tenantPath + "members/" + me + "/remove", Map.of());

      for (HttpResponse<String> answer : java.util.List.of(demoted, removed)) {
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(answer.body())
            .contains("A tenant must keep at least one owner")
            .contains("<h1>Members</h1>");
      }
      assertThat(member(DEMO_OWNER_EMAIL).getString("role")).isEqualTo("owner");
      assertThat(api().get(apiToken, v1("/audit?limit=500")).items()).hasSize(auditBefore);
    }

    @Test
    void a_viewer_sees_the_members_without_forms_and_a_post_of_theirs_is_refused() {
      withViewer(
          (viewer, viewerId) -> {
            HttpResponse<String> page = viewer.page(tenantPath + "members");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body())
                .contains(DEMO_OWNER_EMAIL)
                .contains(DEMO_DEVELOPER_EMAIL)
                .contains("Your role here is viewer")
                .doesNotContain("action=\"" + tenantPath + "members")
                .doesNotContain("Add a member");
            String ownerId = member(DEMO_OWNER_EMAIL).getString("userId");

            HttpResponse<String> demote =
                viewer.post(tenantPath + "members/" + ownerId + "/role", Map.of("role", "viewer"));
            HttpResponse<String> promote =
                viewer.post(tenantPath + "members/" + viewerId + "/role", Map.of("role", "owner"));
            HttpResponse<String> add =
                viewer.post(
                    tenantPath + "members", Map.of("email", DEMO_OWNER_EMAIL, "role", "viewer"));

            for (HttpResponse<String> answer : java.util.List.of(demote, promote, add)) {
              assertThat(answer.statusCode()).isEqualTo(403);
              assertThat(answer.body()).contains("Not allowed").contains("needs owner");
            }
            assertThat(member(DEMO_OWNER_EMAIL).getString("role")).isEqualTo("owner");
            assertThat(member(DEMO_DEVELOPER_EMAIL).getString("role")).isEqualTo("viewer");
          });
    }

    @Test
    void member_names_are_printed_as_text_never_as_markup() {
      String mallory =
          insertUser("mallory-" + UUID.randomUUID() + "@example.com", "<script>alert(3)</script>");

      HttpResponse<String> added =
          owner.post(tenantPath + "members", Map.of("email", mallory, "role", "viewer"));
      HttpResponse<String> page = owner.follow(added);

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("<td><span>&lt;script&gt;alert(3)&lt;/script&gt;</span>")
          .doesNotContain("<script>");
      api().delete(apiToken, v1("/members/" + member(mallory).getString("userId")));
    }
  }

  @Nested
  class Deleting {
    @Test
    void an_api_is_deleted_after_a_confirmation_that_says_what_goes_with_it() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
      String stageId = fixture.stage(tenantId, apiId, "prod");
      fixture.deploy(tenantId, apiId, stageId);
      String planId = fixture.plan(tenantId, apiId, "prod");
      String planName = api().get(apiToken, v1("/usage-plans/" + planId)).json().getString("name");
      String apiPath = tenantPath + "apis/" + apiId;
      assertThat(owner.page(apiPath).body()).contains("href=\"" + apiPath + "/delete\"");

      HttpResponse<String> confirm = owner.page(apiPath + "/delete");

      assertThat(confirm.statusCode()).isEqualTo(200);
      assertThat(confirm.body())
          .contains("Delete API Pets?")
          .contains("Its 1 route and 1 integration are deleted.")
          .contains("Its 1 stage (prod) and its 1 deployment are deleted.")
          .contains("Gateway nodes stop serving prod within seconds")
          .contains("Usage plan " + planName + " will no longer cover its stages");
      assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(200);

      HttpResponse<String> deleted = owner.submitForm(confirm, apiPath + "/delete");

      assertThat(deleted.statusCode()).isEqualTo(303);
      assertThat(location(deleted)).isEqualTo(tenantPath + "apis");
      assertThat(owner.follow(deleted).body())
          .contains("<p class=\"notice\" role=\"status\">API Pets was deleted.</p>");
      assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(404);
      assertThat(api().get(apiToken, v1("/usage-plans/" + planId)).json().getJsonArray("apiStages"))
          .isEmpty();
      assertThat(owner.page(tenantPath + "audit").body())
          .containsPattern("<td><code>api.delete</code></td>\\s*<td>api " + apiId.substring(0, 8));
    }

    @Test
    void a_stage_is_deleted_and_its_api_stays() {
      String apiId = fixture.api(tenantId);
      String stageId = fixture.stage(tenantId, apiId, "beta");
      String planId = fixture.plan(tenantId, apiId, "beta");
      String stagePath = tenantPath + "apis/" + apiId + "/stages/" + stageId;
      assertThat(owner.page(stagePath).body()).contains("href=\"" + stagePath + "/delete\"");

      HttpResponse<String> confirm = owner.page(stagePath + "/delete");
      assertThat(confirm.body())
          .contains("Delete stage beta of Pets?")
          .contains("It serves no deployment, so the gateway is not affected.")
          .contains("will no longer cover it");

      HttpResponse<String> deleted = owner.submitForm(confirm, stagePath + "/delete");

      assertThat(deleted.statusCode()).isEqualTo(303);
      assertThat(location(deleted)).isEqualTo(tenantPath + "apis/" + apiId);
      assertThat(owner.follow(deleted).body()).contains("Stage beta was deleted.");
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId)).status())
          .isEqualTo(404);
      assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(200);
      assertThat(api().get(apiToken, v1("/usage-plans/" + planId)).status()).isEqualTo(200);
      assertThat(api().get(apiToken, v1("/audit")).body()).contains("stage.delete");
    }

    @Test
    void a_plan_is_deleted_but_one_with_subscriptions_is_refused_and_kept() {
      String apiId = fixture.api(tenantId);
      fixture.stage(tenantId, apiId, "sold");
      String free = fixture.plan(tenantId, apiId, "sold");
      String sold = fixture.plan(tenantId, apiId, "sold");
      fixture.subscribe(tenantId, fixture.app(tenantId), sold);

      HttpResponse<String> confirm = owner.page(tenantPath + "plans/" + free + "/delete");
      HttpResponse<String> deleted =
          owner.submitForm(confirm, tenantPath + "plans/" + free + "/delete");

      assertThat(deleted.statusCode()).isEqualTo(303);
      assertThat(location(deleted)).isEqualTo(tenantPath + "plans");
      assertThat(owner.follow(deleted).body())
          .containsPattern("Usage plan Gold [0-9a-f-]+ was deleted.");
      assertThat(api().get(apiToken, v1("/usage-plans/" + free)).status()).isEqualTo(404);

      String soldPath = tenantPath + "plans/" + sold + "/delete";
      HttpResponse<String> blocked = owner.page(soldPath);
      assertThat(blocked.body())
          .contains("1 subscription (of any status) use this plan")
          .doesNotContain("action=\"" + soldPath + "\"");
      HttpResponse<String> refused = owner.post(soldPath, Map.of());
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body())
          .contains("The plan has subscriptions; archive it (status &quot;archived&quot;)");
      assertThat(api().get(apiToken, v1("/usage-plans/" + sold)).status()).isEqualTo(200);
    }

    @Test
    void a_delete_without_the_csrf_token_is_refused_with_403_and_deletes_nothing() {
      String apiId = fixture.api(tenantId);
      String stageId = fixture.stage(tenantId, apiId, "kept");
      String planId = fixture.plan(tenantId, apiId, "kept");

      for (String path :
          java.util.List.of(
              "apis/" + apiId + "/stages/" + stageId + "/delete",
              "plans/" + planId + "/delete",
              "apis/" + apiId + "/delete")) {
        HttpResponse<String> answer = owner.postRaw(tenantPath + path, Map.of());
        assertThat(answer.statusCode()).as(path).isEqualTo(403);
        assertThat(answer.body()).contains("This form has expired");
      }
      assertThat(api().get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId)).status())
          .isEqualTo(200);
      assertThat(api().get(apiToken, v1("/usage-plans/" + planId)).status()).isEqualTo(200);
    }

    @Test
    void a_viewer_sees_no_delete_button_and_their_delete_is_refused() {
      String apiId = fixture.api(tenantId);
      String apiPath = tenantPath + "apis/" + apiId;
      withViewer(
          (viewer, viewerId) -> {
            assertThat(viewer.page(apiPath).body()).doesNotContain(apiPath + "/delete");
            HttpResponse<String> confirm = viewer.page(apiPath + "/delete");
            assertThat(confirm.statusCode()).isEqualTo(200);
            assertThat(confirm.body())
                .contains("Your role here is viewer")
                .doesNotContain("action=\"" + apiPath + "/delete\"");

            HttpResponse<String> answer = viewer.post(apiPath + "/delete", Map.of());

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("Not allowed");
            assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(200);
          });
    }
  }

  @Nested
  class PlanStageLimits {
    /** An API with GET and POST /pets deployed to stage {@code live}, and a plan granting it. */
    String[] planOnDeployedStage() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
      fixture.route(tenantId, apiId, integrationId, "POST", "/pets");
      fixture.deploy(tenantId, apiId, fixture.stage(tenantId, apiId, "live"));
      return new String[] {apiId, fixture.plan(tenantId, apiId, "live")};
    }

    JsonObject binding(String planId) {
      return api()
          .get(apiToken, v1("/usage-plans/" + planId))
          .json()
          .getJsonArray("apiStages")
          .getJsonObject(0);
    }

    @Test
    void method_throttles_saved_for_a_stage_reach_the_api_and_the_plans_gateway_record() {
      String[] ids = planOnDeployedStage();
      String apiId = ids[0];
      String planId = ids[1];
      String planPath = tenantPath + "plans/" + planId;
      String limitsPath = planPath + "/stages/" + apiId + "/live";
      assertThat(owner.page(planPath).body()).contains("href=\"" + limitsPath + "\"");
      HttpResponse<String> page = owner.page(limitsPath);
      assertThat(page.body())
          .contains("<option value=\"/pets/GET\">GET /pets</option>")
          .contains("<option value=\"/pets/POST\">POST /pets</option>");

      HttpResponse<String> saved =
          owner.post(
              limitsPath,
              Map.of(
                  "throttle.rate", "20",
                  "throttle.burst", "40",
                  "mt.0.key", "/pets/GET",
                  "mt.0.rate", "5.5",
                  "mt.0.burst", "10",
                  "mt.1.key", "",
                  "mt.1.rate", "",
                  "mt.1.burst", ""));

      assertThat(saved.statusCode()).isEqualTo(303);
      assertThat(location(saved)).isEqualTo(planPath);
      assertThat(owner.follow(saved).body()).contains("The limits of").contains("were saved.");
      JsonObject binding = binding(planId);
      assertThat(binding.getJsonObject("throttle").getDouble("rateLimit")).isEqualTo(20.0);
      JsonObject methods = binding.getJsonObject("methodThrottles");
      assertThat(methods.fieldNames()).containsExactly("/pets/GET");
      assertThat(methods.getJsonObject("/pets/GET").getDouble("rateLimit")).isEqualTo(5.5);
      assertThat(methods.getJsonObject("/pets/GET").getInteger("burstLimit")).isEqualTo(10);
      PlanRecord record =
          PlanRecord.CODEC.decode(lastOutbox(Topics.PLANS, Topics.planKey(tenantId, planId)));
      assertThat(record.apiStages().getFirst().methodThrottles().get("/pets/GET").burstLimit())
          .isEqualTo(10);
      assertThat(owner.page(planPath).body())
          .containsPattern("<td>20/s, burst 40</td>")
          .containsPattern("<code>/pets/GET</code>\\s*<span>5.5/s, burst 10</span>");

      HttpResponse<String> replaced =
          owner.post(
              limitsPath,
              Map.of(
                  "mt.0.key", "/pets/GET",
                  "mt.0.rate", "5.5",
                  "mt.0.burst", "10",
                  "mt.0.remove", "on",
                  "mt.1.key", "/pets/POST",
                  "mt.1.rate", "1",
                  "mt.1.burst", "2"));

      assertThat(replaced.statusCode()).isEqualTo(303);
      JsonObject after = binding(planId);
      assertThat(after.getJsonObject("methodThrottles").fieldNames()).containsExactly("/pets/POST");
      assertThat(after.getValue("throttle")).isNull();
    }

    @Test
    void saving_the_plan_form_keeps_the_limits_set_for_its_stages() {
      String[] ids = planOnDeployedStage();
      String planId = ids[1];
      owner.post(
          tenantPath + "plans/" + planId + "/stages/" + ids[0] + "/live",
          Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "3", "mt.0.burst", "6"));

      HttpResponse<String> saved =
          owner.post(
              tenantPath + "plans/" + planId,
              Map.of(
                  "name", "Renamed",
                  "status", "active",
                  "pricing.model", "free",
                  "pricing.currency", "usd",
                  "stage", ids[0] + "/live"));

      assertThat(saved.statusCode()).isEqualTo(303);
      assertThat(
              binding(planId)
                  .getJsonObject("methodThrottles")
                  .getJsonObject("/pets/GET")
                  .getInteger("burstLimit"))
          .isEqualTo(6);
    }

    @Test
    void an_invalid_limit_is_explained_beside_its_row_and_changes_nothing() {
      String[] ids = planOnDeployedStage();
      String planId = ids[1];
      String limitsPath = tenantPath + "plans/" + planId + "/stages/" + ids[0] + "/live";
      JsonObject before = binding(planId);

      HttpResponse<String> negative =
          owner.post(
              limitsPath,
              Map.of(
                  "mt.0.key", "/pets/GET",
                  "mt.0.rate", "1",
                  "mt.0.burst", "5",
                  "mt.1.key", "/pets/POST",
                  "mt.1.rate", "-2",
                  "mt.1.burst", "1"));
      HttpResponse<String> unnamed =
          owner.post(limitsPath, Map.of("mt.0.key", "", "mt.0.rate", "7", "mt.0.burst", "8"));
      HttpResponse<String> twice =
          owner.post(
              limitsPath,
              Map.of(
                  "mt.0.key", "/pets/GET",
                  "mt.0.rate", "1",
                  "mt.0.burst", "1",
                  "mt.1.key", "/pets/GET",
                  "mt.1.rate", "2",
                  "mt.1.burst", "2"));

      assertThat(negative.statusCode()).isEqualTo(400);
      assertThat(negative.body())
          .containsPattern(
              "name=\"mt.1.rate\"[^>]*value=\"-2\"[^>]*>\\s*<p class=\"error\">must be at least 0")
          .containsPattern("name=\"mt.0.rate\"[^>]*value=\"1\"[^>]*>\\s*</td>")
          .doesNotContain("Please correct the following");
      assertThat(unnamed.statusCode()).isEqualTo(400);
      assertThat(unnamed.body())
          .containsPattern(
              "name=\"mt.0.key\"[\\s\\S]*?</select>\\s*<p class=\"error\">choose a method")
          .containsPattern("name=\"mt.0.rate\"[^>]*value=\"7\"");
      assertThat(twice.statusCode()).isEqualTo(400);
      assertThat(twice.body()).contains("is given in more than one row");
      assertThat(binding(planId)).isEqualTo(before);
    }

    @Test
    void a_viewer_sees_the_limits_without_a_form_and_their_save_is_refused() {
      String[] ids = planOnDeployedStage();
      String planId = ids[1];
      String planPath = tenantPath + "plans/" + planId;
      String limitsPath = planPath + "/stages/" + ids[0] + "/live";
      owner.post(limitsPath, Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "3", "mt.0.burst", "6"));
      withViewer(
          (viewer, viewerId) -> {
            HttpResponse<String> limits = viewer.page(limitsPath);
            assertThat(limits.statusCode()).isEqualTo(200);
            assertThat(limits.body())
                .contains("Your role here is viewer")
                .contains("value=\"/pets/GET\" selected")
                .doesNotContain("action=\"" + limitsPath + "\"")
                .doesNotContain("Save limits");
            assertThat(viewer.page(planPath).body())
                .doesNotContain("action=\"" + planPath + "\"")
                .doesNotContain("Save plan");

            HttpResponse<String> answer =
                viewer.post(
                    limitsPath,
                    Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "1", "mt.0.burst", "1"));

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("Not allowed");
          });
      assertThat(
              binding(planId)
                  .getJsonObject("methodThrottles")
                  .getJsonObject("/pets/GET")
                  .getInteger("burstLimit"))
          .isEqualTo(6);
    }
  }

  @Nested
  class StageSettings {
    String[] deployedStage() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
      String stageId = fixture.stage(tenantId, apiId, "prod");
      fixture.deploy(tenantId, apiId, stageId);
      return new String[] {apiId, stageId};
    }

    JsonObject stage(String[] ids) {
      return api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json();
    }

    @Test
    void method_throttles_and_access_log_fields_reach_the_api_and_the_stage_snapshot() {
      String[] ids = deployedStage();
      String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
      assertThat(
              api()
                  .put(
                      apiToken,
                      v1("/apis/" + ids[0] + "/stages/" + ids[1]),
                      new JsonObject()
                          .put("accessLogFields", new JsonArray().add("status").add("requestId")))
                  .status())
          .isEqualTo(200);
      HttpResponse<String> page = owner.page(stagePath);
      assertThat(page.body())
          .contains("<option value=\"/pets/GET\">GET /pets</option>")
          .containsPattern("value=\"status\" checked");

      Map<String, String> form = new LinkedHashMap<>();
      form.put("variables", "host=b.example.com");
      form.put("mt.0.key", "/pets/GET");
      form.put("mt.0.rate", "2");
      form.put("mt.0.burst", "4");
      form.put("accessLog.shown", "1");
      String body =
          ConsoleClient.encode(form)
              + "&accessLog=requestId&accessLog=latencyMs&accessLog=status&_csrf="
              + owner.csrf();
      HttpResponse<String> saved = owner.postEncoded(stagePath, body);

      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject stage = stage(ids);
      assertThat(
              stage
                  .getJsonObject("methodThrottles")
                  .getJsonObject("/pets/GET")
                  .getInteger("burstLimit"))
          .isEqualTo(4);
      assertThat(stage.getJsonArray("accessLogFields").stream().map(String.class::cast).toList())
          .containsExactly("status", "requestId", "latencyMs");
      DeploymentSnapshot snapshot =
          DeploymentSnapshot.CODEC.decode(
              lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, ids[0], "prod")));
      assertThat(snapshot.methodThrottles().get("/pets/GET").rateLimit()).isEqualTo(2.0);
      assertThat(snapshot.accessLogFields()).containsExactly("status", "requestId", "latencyMs");
      assertThat(owner.page(stagePath).body())
          .contains("<option value=\"/pets/GET\" selected=\"selected\">GET /pets</option>");

      HttpResponse<String> cleared =
          owner.post(
              stagePath,
              Map.of(
                  "mt.0.key", "/pets/GET",
                  "mt.0.rate", "2",
                  "mt.0.burst", "4",
                  "mt.0.remove", "on",
                  "accessLog.shown", "1"));
      assertThat(cleared.statusCode()).isEqualTo(303);
      assertThat(stage(ids).getJsonObject("methodThrottles")).isEmpty();
      assertThat(stage(ids).getJsonArray("accessLogFields")).isEmpty();
    }

    @Test
    void a_form_without_the_new_fields_keeps_the_stages_throttles_and_fields() {
      String[] ids = deployedStage();
      api()
          .put(
              apiToken,
              v1("/apis/" + ids[0] + "/stages/" + ids[1]),
              new JsonObject()
                  .put(
                      "methodThrottles",
                      new JsonObject()
                          .put(
                              "/pets/GET",
                              new JsonObject().put("rateLimit", 1).put("burstLimit", 2)))
                  .put("accessLogFields", new JsonArray().add("status")));

      HttpResponse<String> saved =
          owner.post(
              tenantPath + "apis/" + ids[0] + "/stages/" + ids[1],
              Map.of("description", "kept", "variables", "a=b"));

      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject stage = stage(ids);
      assertThat(stage.getString("description")).isEqualTo("kept");
      assertThat(stage.getJsonObject("methodThrottles").fieldNames()).containsExactly("/pets/GET");
      assertThat(stage.getJsonArray("accessLogFields").stream().map(String.class::cast).toList())
          .containsExactly("status");
    }

    @Test
    void an_invalid_method_throttle_is_explained_beside_its_row_and_changes_nothing() {
      String[] ids = deployedStage();
      String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
      JsonObject before = stage(ids);

      HttpResponse<String> missing =
          owner.post(
              stagePath,
              Map.of(
                  "mt.0.key",
                  "/pets/GET",
                  "mt.0.rate",
                  "1",
                  "mt.0.burst",
                  "",
                  "accessLog.shown",
                  "1",
                  "accessLog",
                  "status"));
      HttpResponse<String> unparsable =
          owner.post(
              stagePath, Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "fast", "mt.0.burst", "1"));
      HttpResponse<String> unknownField =
          owner.post(stagePath, Map.of("accessLog.shown", "1", "accessLog", "password"));

      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(missing.body())
          .containsPattern(
              "name=\"mt.0.burst\"[^>]*value=\"\"[^>]*>\\s*<p class=\"error\">is required")
          .containsPattern("value=\"status\" checked");
      assertThat(unparsable.statusCode()).isEqualTo(400);
      assertThat(unparsable.body())
          .containsPattern(
              "name=\"mt.0.rate\"[^>]*value=\"fast\"[^>]*>\\s*<p class=\"error\">must be a number");
      assertThat(unknownField.statusCode()).isEqualTo(400);
      assertThat(unknownField.body())
          .contains("<code>/accessLogFields/0</code>")
          .contains("must be one of requestId");
      assertThat(stage(ids)).isEqualTo(before);
    }

    @Test
    void a_viewer_sees_the_stage_settings_without_a_form() {
      String[] ids = deployedStage();
      String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
      owner.post(stagePath, Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "1", "mt.0.burst", "2"));
      withViewer(
          (viewer, viewerId) -> {
            HttpResponse<String> page = viewer.page(stagePath);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body())
                .contains("Your role here is viewer")
                .contains("value=\"/pets/GET\" selected")
                .contains("<fieldset class=\"bare\" disabled=\"disabled\">")
                .doesNotContain("action=\"" + stagePath + "\"")
                .doesNotContain("Save stage");
            assertThat(viewer.post(stagePath, Map.of("variables", "")).statusCode()).isEqualTo(403);
          });
      assertThat(stage(ids).getJsonObject("methodThrottles").fieldNames())
          .containsExactly("/pets/GET");
    }
  }

  @Nested
  class IntegrationParameters {
    @Test
    void parameter_mappings_are_saved_as_rows_and_frozen_into_the_next_deployment() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
      String stageId = fixture.stage(tenantId, apiId, "prod");
      String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;

      Map<String, String> form = new LinkedHashMap<>();
      form.put("type", "http_proxy");
      form.put("httpMethod", "ANY");
      form.put("uri", "https://backend.example.com/{proxy}");
      form.put("timeoutMillis", "5000");
      form.put("rp.0.target", "integration.request.header.x-stage");
      form.put("rp.0.source", "stageVariables.stageLabel");
      form.put("rp.1.target", "integration.request.querystring.page");
      form.put("rp.1.source", "method.request.querystring.page");
      form.put("rp.2.target", "");
      form.put("rp.2.source", "");
      HttpResponse<String> saved = owner.post(path, form);

      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject parameters =
          api()
              .get(apiToken, v1("/apis/" + apiId + "/integrations/" + integrationId))
              .json()
              .getJsonObject("requestParameters");
      assertThat(parameters.getMap())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "integration.request.header.x-stage", "stageVariables.stageLabel",
                  "integration.request.querystring.page", "method.request.querystring.page"));
      fixture.deploy(tenantId, apiId, stageId);
      DeploymentSnapshot snapshot =
          DeploymentSnapshot.CODEC.decode(
              lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")));
      assertThat(snapshot.routes().getFirst().integration().requestParameters())
          .containsEntry("integration.request.header.x-stage", "stageVariables.stageLabel");
      assertThat(owner.page(path).body())
          .containsPattern("name=\"rp.0.target\"[^>]*value=\"integration.request.header.x-stage\"");

      form.put("rp.0.remove", "on");
      assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
      assertThat(
              api()
                  .get(apiToken, v1("/apis/" + apiId + "/integrations/" + integrationId))
                  .json()
                  .getJsonObject("requestParameters")
                  .fieldNames())
          .containsExactly("integration.request.querystring.page");
    }

    @Test
    void a_backend_url_the_egress_policy_forbids_is_explained_beside_it_and_changes_nothing() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
      String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);
      JsonObject before = api().get(apiToken, v1Path).json();

      Map<String, String> form = new LinkedHashMap<>();
      form.put("type", "http");
      form.put("httpMethod", "GET");
      form.put("uri", "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
      HttpResponse<String> answer = owner.post(path, form);

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .containsPattern(
              "name=\"uri\"[^>]*>\\s*<p class=\"error\">must not point at a cloud instance"
                  + " metadata address \\(169.254.169.254\\)");
      assertThat(api().get(apiToken, v1Path).json()).isEqualTo(before);
    }

    @Test
    void a_bad_mapping_is_explained_beside_its_row_and_changes_nothing() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
      String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);
      JsonObject before = api().get(apiToken, v1Path).json();

      Map<String, String> form = new LinkedHashMap<>();
      form.put("type", "http_proxy");
      form.put("httpMethod", "ANY");
      form.put("uri", "https://backend.example.com/{proxy}");
      form.put("rp.0.target", "integration.request.header.x-ok");
      form.put("rp.0.source", "'fixed'");
      form.put("rp.1.target", "integration.request.body.name");
      form.put("rp.1.source", "method.request.header.name");
      form.put("rp.2.target", "integration.request.header.x-from");
      form.put("rp.2.source", "request.somewhere");
      HttpResponse<String> answer = owner.post(path, form);

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .containsPattern(
              "name=\"rp.1.target\"[^>]*value=\"integration.request.body.name\"[^>]*>\\s*<p"
                  + " class=\"error\">must be named integration.request")
          .containsPattern(
              "name=\"rp.2.target\"[^>]*value=\"integration.request.header.x-from\"[^>]*>\\s*<p"
                  + " class=\"error\">must be method.request")
          .containsPattern("name=\"rp.0.target\"[^>]*>\\s*</td>")
          .containsPattern("name=\"rp.2.source\"[^>]*value=\"request.somewhere\"");
      assertThat(api().get(apiToken, v1Path).json()).isEqualTo(before);
    }

    @Test
    void an_edit_without_the_mapping_rows_keeps_the_mappings_and_a_viewer_sees_no_form() {
      String apiId = fixture.api(tenantId);
      String integrationId =
          fixture
              .created(
                  v1("/apis/" + apiId + "/integrations"),
                  new JsonObject()
                      .put("type", "http")
                      .put("httpMethod", "GET")
                      .put("uri", "https://backend.example.com/pets")
                      .put("connectTimeoutMillis", 2000)
                      .put(
                          "requestParameters",
                          new JsonObject().put("integration.request.header.x-tenant", "'acme'")))
              .getString("id");
      String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
      String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);

      HttpResponse<String> saved =
          owner.post(
              path,
              Map.of(
                  "type", "http",
                  "httpMethod", "POST",
                  "uri", "https://backend.example.com/pets",
                  "timeoutMillis", "4000"));

      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject after = api().get(apiToken, v1Path).json();
      assertThat(after.getString("httpMethod")).isEqualTo("POST");
      assertThat(after.getInteger("connectTimeoutMillis")).isEqualTo(2000);
      assertThat(
              after
                  .getJsonObject("requestParameters")
                  .getString("integration.request.header.x-tenant"))
          .isEqualTo("'acme'");
      withViewer(
          (viewer, viewerId) -> {
            HttpResponse<String> page = viewer.page(path);
            assertThat(page.body())
                .contains("Your role here is viewer")
                .contains("value=\"integration.request.header.x-tenant\"")
                .contains("value=\"&#39;acme&#39;\"")
                .doesNotContain("action=\"" + path + "\"")
                .doesNotContain("Save integration");
            assertThat(viewer.post(path, Map.of("type", "mock", "mockStatus", "200")).statusCode())
                .isEqualTo(403);
          });
      assertThat(api().get(apiToken, v1Path).json().getString("type")).isEqualTo("http");
    }

    @Test
    void a_mocks_headers_and_the_connect_timeout_are_edited_and_a_bad_header_is_explained() {
      String apiId = fixture.api(tenantId);
      String integrationId =
          fixture
              .created(
                  v1("/apis/" + apiId + "/integrations"),
                  new JsonObject()
                      .put("type", "mock")
                      .put(
                          "mock",
                          new JsonObject()
                              .put("statusCode", 200)
                              .put("headers", new JsonObject().put("Content-Type", "text/plain"))
                              .put("body", "hi")))
              .getString("id");
      String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
      String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);
      assertThat(owner.page(path).body())
          .containsPattern("name=\"mh.0.name\"[^>]*value=\"Content-Type\"");

      Map<String, String> form = new LinkedHashMap<>();
      form.put("type", "mock");
      form.put("mockStatus", "201");
      form.put("mockBody", "made");
      form.put("connectTimeoutMillis", "1500");
      form.put("mh.0.name", "Content-Type");
      form.put("mh.0.value", "application/json");
      form.put("mh.1.name", "X-Mock");
      form.put("mh.1.value", "yes");
      HttpResponse<String> saved = owner.post(path, form);

      assertThat(saved.statusCode()).isEqualTo(303);
      JsonObject after = api().get(apiToken, v1Path).json();
      assertThat(after.getInteger("connectTimeoutMillis")).isEqualTo(1500);
      assertThat(after.getJsonObject("mock").getJsonObject("headers").getMap())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("Content-Type", "application/json", "X-Mock", "yes"));

      form.put("mh.1.name", "X Mock");
      HttpResponse<String> bad = owner.post(path, form);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body())
          .containsPattern(
              "name=\"mh.1.name\"[^>]*value=\"X Mock\"[^>]*>\\s*<p class=\"error\">must be a"
                  + " header name");
      assertThat(api().get(apiToken, v1Path).json()).isEqualTo(after);
    }
  }

  @Nested
  class GatewayResponses {
    @Test
    void an_override_is_saved_listed_deployed_and_reset() {
      String apiId = fixture.api(tenantId);
      String integrationId = fixture.integration(tenantId, apiId);
      fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
      String stageId = fixture.stage(tenantId, apiId, "prod");
      String list = tenantPath + "apis/" + apiId + "/gateway-responses";
      assertThat(owner.page(tenantPath + "apis/" + apiId).body()).contains("href=\"" + list + "\"");
      assertThat(owner.page(list).body())
          .containsPattern(
              "<td><code>THROTTLED</code></td>\\s*<td>429</td>\\s*<td class=\"muted\">none</td>")
          .contains("<code>DEFAULT_4XX</code>");

      HttpResponse<String> saved =
          owner.post(
              list + "/THROTTLED",
              Map.of(
                  "statusCode", "503",
                  "header.0.name", "Retry-After",
                  "header.0.value", "10",
                  "header.1.name", "",
                  "header.1.value", "",
                  "body",
                      "{\"message\":$context.error.messageString,\"hint\":\"</textarea><b>slow</b>\"}"));

      assertThat(saved.statusCode()).isEqualTo(303);
      assertThat(location(saved)).isEqualTo(list);
      assertThat(owner.follow(saved).body()).contains("THROTTLED was saved; deploy the API");
      JsonObject throttled =
          api()
              .get(apiToken, v1("/apis/" + apiId))
              .json()
              .getJsonObject("gatewayResponses")
              .getJsonObject("THROTTLED");
      assertThat(throttled.getInteger("statusCode")).isEqualTo(503);
      assertThat(throttled.getJsonObject("headers").getMap())
          .containsExactly(Map.entry("Retry-After", "10"));
      assertThat(owner.page(list).body())
          .contains("<span>status 503</span><span>, 1 header(s)</span><span>, body <code>");
      HttpResponse<String> edit = owner.page(list + "/THROTTLED");
      assertThat(edit.body())
          .contains("&lt;/textarea&gt;&lt;b&gt;slow&lt;/b&gt;")
          .doesNotContain("<b>slow</b>")
          .containsPattern("name=\"header.0.name\"[^>]*value=\"Retry-After\"");
      fixture.deploy(tenantId, apiId, stageId);
      DeploymentSnapshot snapshot =
          DeploymentSnapshot.CODEC.decode(
              lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")));
      assertThat(snapshot.gatewayResponses().get("THROTTLED").statusCode()).isEqualTo(503);

      HttpResponse<String> reset = owner.submitForm(edit, list + "/THROTTLED/reset");

      assertThat(reset.statusCode()).isEqualTo(303);
      assertThat(api().get(apiToken, v1("/apis/" + apiId)).json().getJsonObject("gatewayResponses"))
          .isEmpty();
      assertThat(api().get(apiToken, v1("/audit")).body()).contains("api.update");
    }

    @Test
    void a_bad_status_and_header_are_explained_beside_their_fields_and_change_nothing() {
      String apiId = fixture.api(tenantId);
      String path = tenantPath + "apis/" + apiId + "/gateway-responses/DEFAULT_4XX";
      JsonObject before = api().get(apiToken, v1("/apis/" + apiId)).json();

      HttpResponse<String> answer =
          owner.post(
              path,
              Map.of(
                  "statusCode", "700",
                  "header.0.name", "Bad Header",
                  "header.0.value", "x",
                  "body", "{}"));

      assertThat(answer.statusCode()).isEqualTo(400);
      assertThat(answer.body())
          .containsPattern(
              "id=\"response-status\"[^>]*value=\"700\"[^>]*>\\s*<p class=\"error\">must be between"
                  + " 100 and 599")
          .containsPattern(
              "name=\"header.0.name\"[^>]*value=\"Bad Header\"[^>]*>\\s*<p class=\"error\">must be a"
                  + " header name")
          .contains(">{}</textarea>");
      assertThat(api().get(apiToken, v1("/apis/" + apiId)).json()).isEqualTo(before);
      assertThat(
              owner
                  .get(tenantPath + "apis/" + apiId + "/gateway-responses/NOT_A_TYPE")
                  .statusCode())
          .isEqualTo(404);
    }

    @Test
    void a_viewer_sees_the_overrides_without_forms() {
      String apiId = fixture.api(tenantId);
      String list = tenantPath + "apis/" + apiId + "/gateway-responses";
      owner.post(list + "/QUOTA_EXCEEDED", Map.of("statusCode", "402"));
      withViewer(
          (viewer, viewerId) -> {
            assertThat(viewer.page(list).body()).contains("status 402");
            HttpResponse<String> page = viewer.page(list + "/QUOTA_EXCEEDED");
            assertThat(page.body())
                .contains("Your role here is viewer")
                .containsPattern("id=\"response-status\"[^>]*value=\"402\"")
                .doesNotContain("action=\"" + list)
                .doesNotContain("Reset to the default");
            assertThat(viewer.post(list + "/QUOTA_EXCEEDED/reset", Map.of()).statusCode())
                .isEqualTo(403);
          });
      assertThat(
              api()
                  .get(apiToken, v1("/apis/" + apiId))
                  .json()
                  .getJsonObject("gatewayResponses")
                  .getJsonObject("QUOTA_EXCEEDED")
                  .getInteger("statusCode"))
          .isEqualTo(402);
    }
  }

  /** The newest outbox payload for {@code topic} and {@code key} of the organization. */
  byte[] lastOutbox(String topic, String key) {
    return db.ownerDsl()
        .select(OUTBOX.PAYLOAD)
        .from(OUTBOX)
        .where(OUTBOX.TENANT_ID.eq(UUID.fromString(tenantId)))
        .and(OUTBOX.TOPIC.eq(topic))
        .and(OUTBOX.MESSAGE_KEY.eq(key))
        .orderBy(OUTBOX.ID.desc())
        .limit(1)
        .fetchOptional(OUTBOX.PAYLOAD)
        .orElseThrow(() -> new AssertionError("no outbox row for " + topic + " " + key));
  }

  /**
   * A user Turnpike knows (as after a first sign-in, their email verified by the identity provider)
   * that no Keycloak login belongs to.
   */
  String insertUser(String email, String displayName) {
    try (Connection c = db.systemDataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO users (id, keycloak_subject, email, display_name, email_verified)"
                    + " VALUES (?::uuid, ?, ?, ?, true)")) {
      s.setString(1, UUID.randomUUID().toString());
      s.setString(2, "test-" + UUID.randomUUID());
      s.setString(3, email);
      s.setString(4, displayName);
      s.executeUpdate();
      return email;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The organization's member with this email as the management API lists them, or null. */
  JsonObject member(String email) {
    return api().get(apiToken, v1("/members")).items().stream()
        .map(JsonObject.class::cast)
        .filter(m -> email.equalsIgnoreCase(m.getString("email")))
        .findFirst()
        .orElse(null);
  }

  /**
   * Runs {@code test} with demo-developer signed in to the console as a viewer of the organization
   * (added by the owner through the members page), and takes the membership away afterwards, so the
   * other tests see demo-developer as someone without an organization.
   */
  void withViewer(java.util.function.BiConsumer<ConsoleClient, String> test) {
    ConsoleClient viewer = new ConsoleClient(owner.base);
    viewer.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);
    HttpResponse<String> added =
        owner.post(tenantPath + "members", Map.of("email", DEMO_DEVELOPER_EMAIL, "role", "viewer"));
    assertThat(added.statusCode()).as("adding the viewer").isEqualTo(303);
    String viewerId = member(DEMO_DEVELOPER_EMAIL).getString("userId");
    try {
      test.accept(viewer, viewerId);
    } finally {
      assertThat(api().delete(apiToken, v1("/members/" + viewerId)).status()).isEqualTo(204);
    }
  }

  static String sessionCookieHeader(HttpResponse<?> response) {
    return ConsoleClient.setCookies(response).stream()
        .filter(c -> c.startsWith(Console.COOKIE + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie set"));
  }
}
