package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Documents at the default limits' scale through the real import endpoint: 10,000 paths are refused
 * with a short answer or imported and deployed, and references that expand exponentially are
 * refused. Each prints how long it took, for the record; none asserts a time (the figures that
 * matter come from {@link OpenApiImportBenchmark} on a quiet machine).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeImportTest {
  static final int PATHS = 10_000;

  TestControlPlane cp;
  ApiClient api;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    api = cp.client();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  record Timed(ApiClient.Answer answer, double seconds) {}

  Timed importing(String tenant, String apiId, String document, String what) {
    long start = System.nanoTime();
    ApiClient.Answer answer =
        api.send(
            "POST",
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi",
            document,
            "application/json");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "LargeImportTest: %s: %d in %.2f s (%,d bytes sent, %,d answered)%n",
        what, answer.status(), seconds, document.length(), answer.body().length());
    return new Timed(answer, seconds);
  }

  @Nested
  class TenThousandPaths {
    @Test
    void without_integrations_are_refused_listing_the_first_100_problems_and_the_total() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      Timed refused =
          importing(
              tenant,
              apiId,
              LargeDocuments.withoutIntegrations(PATHS),
              "10,000 paths without integrations");

      assertThat(refused.answer().status()).isEqualTo(400);
      JsonObject problem = refused.answer().json();
      assertThat(problem.getJsonArray("errors")).hasSize(100);
      assertThat(problem.getInteger("totalErrors")).isEqualTo(PATHS);
      assertThat(problem.getString("detail"))
          .isEqualTo(
              "The OpenAPI document has 10000 problems; nothing was changed (the first 100 are"
                  + " listed)");
      assertThat(refused.answer().body().length()).isLessThan(32 * 1024);
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes").items())
          .isEmpty();
    }

    @Test
    void with_mock_integrations_are_imported_re_imported_and_deployed() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document = LargeDocuments.withMocks(PATHS);

      Timed first = importing(tenant, apiId, document, "10,000 paths imported");
      Timed again = importing(tenant, apiId, document, "10,000 paths imported again");

      assertThat(first.answer().status()).as(first.answer().toString()).isEqualTo(200);
      assertThat(again.answer().status()).isEqualTo(200);
      assertThat(again.answer().json().getJsonArray("routes")).hasSize(PATHS);
      assertThat(again.answer().json().getJsonArray("integrations")).hasSize(PATHS);
      // The same method and path keep their route: ids survive a re-import.
      assertThat(again.answer().json().getJsonArray("routes").getJsonObject(0).getString("id"))
          .isEqualTo(first.answer().json().getJsonArray("routes").getJsonObject(0).getString("id"));
      var routes = api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes");
      assertThat(routes.items()).hasSize(PATHS);
      var integrations =
          api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations");
      assertThat(integrations.items())
          .isEqualTo(again.answer().json().getJsonArray("integrations"));

      String stage = fx.stage(tenant, apiId, "prod");
      long start = System.nanoTime();
      JsonObject deployment = fx.deploy(tenant, apiId, stage);
      System.out.printf(
          "LargeImportTest: 10,000 routes deployed in %.2f s%n", (System.nanoTime() - start) / 1e9);
      assertThat(deployment.getJsonObject("definition").getJsonArray("routes")).hasSize(PATHS);
    }

    @Test
    void past_the_routes_limit_are_refused_at_once() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      Timed refused =
          importing(
              tenant,
              apiId,
              LargeDocuments.withoutIntegrations(2 * PATHS),
              "20,000 paths past the routes limit");

      assertThat(refused.answer().status()).isEqualTo(400);
      JsonObject limit = refused.answer().json().getJsonObject("limit");
      assertThat(limit.getString("setting")).isEqualTo(Limit.ROUTES_PER_API.setting());
      assertThat(limit.getInteger("max")).isEqualTo(PATHS);
      assertThat(limit.getInteger("actual")).isEqualTo(2 * PATHS);
    }
  }

  @Nested
  class ExponentialReferences {
    /**
     * A "billion laughs" in JSON Schema: L0 is a string, and each L(i) an object of two properties
     * that are both L(i-1). A few kilobytes whose body schema would expand into 2^levels nodes.
     */
    String laughs(int levels) {
      JsonObject schemas = new JsonObject().put("L0", new JsonObject().put("type", "string"));
      for (int i = 1; i <= levels; i++) {
        JsonObject twice =
            new JsonObject()
                .put("a", new JsonObject().put("$ref", "#/components/schemas/L" + (i - 1)))
                .put("b", new JsonObject().put("$ref", "#/components/schemas/L" + (i - 1)));
        schemas.put("L" + i, new JsonObject().put("type", "object").put("properties", twice));
      }
      JsonObject operation =
          new JsonObject()
              .put(
                  "x-amazon-apigateway-integration",
                  new JsonObject()
                      .put("type", "mock")
                      .put(
                          "responses",
                          new JsonObject()
                              .put("default", new JsonObject().put("statusCode", "200"))))
              .put(
                  "requestBody",
                  new JsonObject()
                      .put(
                          "content",
                          new JsonObject()
                              .put(
                                  "application/json",
                                  new JsonObject()
                                      .put(
                                          "schema",
                                          new JsonObject()
                                              .put("$ref", "#/components/schemas/L" + levels)))));
      return new JsonObject()
          .put("openapi", "3.0.1")
          .put("info", new JsonObject().put("title", "Laughs").put("version", "1"))
          .put(
              "x-amazon-apigateway-request-validators",
              new JsonObject().put("all", new JsonObject().put("validateRequestBody", true)))
          .put("x-amazon-apigateway-request-validator", "all")
          .put("components", new JsonObject().put("schemas", schemas))
          .put("paths", new JsonObject().put("/laugh", new JsonObject().put("post", operation)))
          .encode();
    }

    @Test
    void references_that_expand_exponentially_are_refused_at_the_node_limit() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document = laughs(30); // 2^30 leaves, within the default nesting depth of 32

      Timed refused = importing(tenant, apiId, document, "2^30 expansions");

      assertThat(refused.answer().status()).as(refused.answer().toString()).isEqualTo(400);
      JsonObject limit = refused.answer().json().getJsonObject("limit");
      assertThat(limit.getString("setting")).isEqualTo(Limit.REF_EXPANDED_NODES.setting());
      assertThat(limit.getInteger("max")).isEqualTo(250_000);
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes").items())
          .isEmpty();
    }

    @Test
    void references_nested_past_the_depth_limit_are_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      Timed refused = importing(tenant, apiId, laughs(40), "references 40 deep");

      assertThat(refused.answer().status()).isEqualTo(400);
      assertThat(refused.answer().json().getJsonObject("limit").getString("setting"))
          .isEqualTo(Limit.REF_DEPTH.setting());
    }
  }
}
