package dev.turnpike.controlplane.limit;

import static dev.turnpike.controlplane.limit.LimitAnswers.assertLimitExceeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every owner limit on what the management API creates, with a control plane whose limits are set
 * small: at the limit a request is accepted; one more is refused with a 400 limit-exceeded problem
 * naming the limit and its value, and nothing changes.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerLimitsTest {
  TestControlPlane cp;
  ApiClient api;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.ofEntries(
                Map.entry(Limit.APIS_PER_TENANT.setting(), "2"),
                Map.entry(Limit.ROUTES_PER_API.setting(), "2"),
                Map.entry(Limit.INTEGRATIONS_PER_API.setting(), "2"),
                Map.entry(Limit.STAGES_PER_API.setting(), "2"),
                Map.entry(Limit.STAGE_VARIABLES.setting(), "2"),
                Map.entry(Limit.USAGE_PLANS_PER_TENANT.setting(), "2"),
                Map.entry(Limit.APPS_PER_TENANT.setting(), "2"),
                Map.entry(Limit.MEMBERS_PER_TENANT.setting(), "2"),
                Map.entry(Limit.RESPONSE_BODY_BYTES.setting(), "16")));
    api = cp.client();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  String v1(String tenant, String path) {
    return "/v1/tenants/" + tenant + path;
  }

  int count(String path) {
    ApiClient.Answer answer = api.get(token, path);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.items().size();
  }

  @Nested
  class ApisPerTenant {
    @Test
    void the_api_past_the_limit_is_refused_and_not_created() {
      String tenant = fx.tenant();
      fx.api(tenant);
      fx.api(tenant); // at the limit

      var answer =
          api.post(
              token,
              v1(tenant, "/apis"),
              new JsonObject().put("slug", "third").put("name", "Third"));

      assertLimitExceeded(answer, Limit.APIS_PER_TENANT, 2, 3);
      assertThat(count(v1(tenant, "/apis"))).isEqualTo(2);
    }
  }

  @Nested
  class RoutesAndIntegrationsPerApi {
    @Test
    void the_route_past_the_limit_is_refused_and_not_created() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      fx.route(tenant, apiId, integration, "GET", "/a");
      fx.route(tenant, apiId, integration, "GET", "/b"); // at the limit

      var answer =
          api.post(
              token,
              v1(tenant, "/apis/" + apiId + "/routes"),
              new JsonObject()
                  .put("method", "GET")
                  .put("resourcePath", "/c")
                  .put("integrationId", integration));

      assertLimitExceeded(answer, Limit.ROUTES_PER_API, 2, 3);
      assertThat(count(v1(tenant, "/apis/" + apiId + "/routes"))).isEqualTo(2);
    }

    @Test
    void the_integration_past_the_limit_is_refused_and_not_created() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      fx.integration(tenant, apiId);
      fx.integration(tenant, apiId); // at the limit

      var answer =
          api.post(
              token,
              v1(tenant, "/apis/" + apiId + "/integrations"),
              new JsonObject()
                  .put("type", "http_proxy")
                  .put("httpMethod", "ANY")
                  .put("uri", "https://backend.example.com/"));

      assertLimitExceeded(answer, Limit.INTEGRATIONS_PER_API, 2, 3);
      assertThat(count(v1(tenant, "/apis/" + apiId + "/integrations"))).isEqualTo(2);
    }
  }

  @Nested
  class ResponseBodies {
    JsonObject mock(String body) {
      return new JsonObject()
          .put("type", "mock")
          .put("mock", new JsonObject().put("statusCode", 200).put("body", body));
    }

    @Test
    void a_mock_body_at_the_limit_is_accepted_and_one_byte_more_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String path = v1(tenant, "/apis/" + apiId + "/integrations");
      var atLimit = api.post(token, path, mock("{\"ok\":\"1234567\"}"));
      assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(201);

      // "é" is two bytes in UTF-8: the limit counts bytes, not characters.
      var answer = api.post(token, path, mock("{\"ok\":\"123456é\"}"));

      JsonObject problem = assertLimitExceeded(answer, Limit.RESPONSE_BODY_BYTES, 16, 17);
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/mock/body");
      assertThat(count(path)).isEqualTo(1);
    }

    @Test
    void a_mock_body_past_the_limit_is_refused_on_update_too() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String id =
          fx.created(v1(tenant, "/apis/" + apiId + "/integrations"), mock("{}")).getString("id");
      String path = v1(tenant, "/apis/" + apiId + "/integrations/" + id);

      var answer = api.put(token, path, mock("{\"message\":\"too long\"}"));

      assertLimitExceeded(answer, Limit.RESPONSE_BODY_BYTES, 16, 22);
      assertThat(api.get(token, path).json().getJsonObject("mock").getString("body"))
          .isEqualTo("{}");
    }

    @Test
    void a_gateway_response_body_past_the_limit_is_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String path = v1(tenant, "/apis/" + apiId);
      JsonObject update =
          new JsonObject()
              .put("name", "Pets")
              .put(
                  "gatewayResponses",
                  new JsonObject()
                      .put("THROTTLED", new JsonObject().put("body", "{\"m\":\"slow down!\"}")));

      var answer = api.put(token, path, update);

      assertLimitExceeded(answer, Limit.RESPONSE_BODY_BYTES, 16, 18);
      assertThat(api.get(token, path).json().getJsonObject("gatewayResponses")).isEmpty();
      update
          .getJsonObject("gatewayResponses")
          .getJsonObject("THROTTLED")
          .put("body", "{\"m\":\"slow!!!!\"}");
      assertThat(api.put(token, path, update).status()).isEqualTo(200);
    }
  }

  @Nested
  class Stages {
    @Test
    void the_stage_past_the_limit_is_refused_and_not_created() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      fx.stage(tenant, apiId, "dev");
      fx.stage(tenant, apiId, "prod"); // at the limit

      var answer =
          api.post(
              token, v1(tenant, "/apis/" + apiId + "/stages"), new JsonObject().put("name", "qa"));

      assertLimitExceeded(answer, Limit.STAGES_PER_API, 2, 3);
      assertThat(count(v1(tenant, "/apis/" + apiId + "/stages"))).isEqualTo(2);
    }

    @Test
    void variables_past_the_limit_are_refused_on_create_and_update() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String stages = v1(tenant, "/apis/" + apiId + "/stages");
      JsonObject two = new JsonObject().put("a", "1").put("b", "2");
      JsonObject three = two.copy().put("c", "3");

      var refused =
          api.post(token, stages, new JsonObject().put("name", "dev").put("variables", three));
      JsonObject problem = assertLimitExceeded(refused, Limit.STAGE_VARIABLES, 2, 3);
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/variables");
      assertThat(count(stages)).isZero();

      String stageId =
          fx.created(stages, new JsonObject().put("name", "dev").put("variables", two))
              .getString("id");
      var update = api.put(token, stages + "/" + stageId, new JsonObject().put("variables", three));
      assertLimitExceeded(update, Limit.STAGE_VARIABLES, 2, 3);
      assertThat(api.get(token, stages + "/" + stageId).json().getJsonObject("variables"))
          .isEqualTo(two);
    }

    @Test
    void variable_names_and_values_keep_api_gateways_lengths() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String stages = v1(tenant, "/apis/" + apiId + "/stages");
      JsonObject atLengths = new JsonObject().put("n".repeat(64), "v".repeat(512));
      assertThat(
              api.post(token, stages, new JsonObject().put("name", "a").put("variables", atLengths))
                  .status())
          .isEqualTo(201);

      var longName =
          api.post(
              token,
              stages,
              new JsonObject()
                  .put("name", "b")
                  .put("variables", new JsonObject().put("n".repeat(65), "v")));
      var longValue =
          api.post(
              token,
              stages,
              new JsonObject()
                  .put("name", "c")
                  .put("variables", new JsonObject().put("n", "v".repeat(513))));

      assertThat(longName.status()).isEqualTo(400);
      assertThat(longName.body()).contains("1 to 64");
      assertThat(longValue.status()).isEqualTo(400);
      assertThat(longValue.body()).contains("up to 512");
      assertThat(count(stages)).isEqualTo(1);
    }
  }

  @Nested
  class PlansAppsKeysMembers {
    JsonObject plan(String name) {
      return new JsonObject().put("name", name);
    }

    @Test
    void the_usage_plan_past_the_limit_is_refused_and_not_created() {
      String tenant = fx.tenant();
      fx.created(v1(tenant, "/usage-plans"), plan("Free"));
      fx.created(v1(tenant, "/usage-plans"), plan("Gold")); // at the limit

      var answer = api.post(token, v1(tenant, "/usage-plans"), plan("Platinum"));

      assertLimitExceeded(answer, Limit.USAGE_PLANS_PER_TENANT, 2, 3);
      assertThat(count(v1(tenant, "/usage-plans"))).isEqualTo(2);
    }

    @Test
    void the_app_past_the_limit_is_refused_and_a_deleted_app_frees_its_place() {
      String tenant = fx.tenant();
      String first = fx.app(tenant);
      fx.app(tenant); // at the limit

      var answer =
          api.post(token, v1(tenant, "/apps"), new JsonObject().put("name", "One too many"));

      assertLimitExceeded(answer, Limit.APPS_PER_TENANT, 2, 3);
      assertThat(count(v1(tenant, "/apps"))).isEqualTo(2);
      assertThat(api.delete(token, v1(tenant, "/apps/" + first)).status()).isEqualTo(204);
      fx.app(tenant);
    }

    @Test
    void the_member_past_the_limit_is_refused_and_not_added() {
      String tenant = fx.tenant(); // its owner is the first member
      String second = signedIn();
      assertThat(
              api.put(
                      token,
                      v1(tenant, "/members/" + second),
                      new JsonObject().put("role", "viewer"))
                  .status())
          .isEqualTo(200);

      var answer =
          api.put(
              token, v1(tenant, "/members/" + signedIn()), new JsonObject().put("role", "viewer"));

      assertLimitExceeded(answer, Limit.MEMBERS_PER_TENANT, 2, 3);
      assertThat(count(v1(tenant, "/members"))).isEqualTo(2);
      // A member already counted may change role at the limit.
      assertThat(
              api.put(
                      token,
                      v1(tenant, "/members/" + second),
                      new JsonObject().put("role", "admin"))
                  .status())
          .isEqualTo(200);
    }

    /** A person who has signed in once, as members must have. */
    String signedIn() {
      return api.get(cp.token("person-" + UUID.randomUUID()), "/v1/me").json().getString("id");
    }
  }
}
