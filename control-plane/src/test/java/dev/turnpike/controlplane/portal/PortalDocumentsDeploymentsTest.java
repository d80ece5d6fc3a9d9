package dev.turnpike.controlplane.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portal documents what each stage serves, from its deployment, as API Gateway exports a stage.
 * The Pets API (API Gateway's pet store export) is deployed to {@code prod} and {@code beta}; then
 * the owner removes {@code GET /health}, adds {@code GET /owners} and drops the key from {@code GET
 * /pets}, and deploys that to {@code beta} only; then adds {@code DELETE /pets/{petId}} and deploys
 * it nowhere.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalDocumentsDeploymentsTest {
  TestControlPlane cp;
  ApiClient api;
  String owner;
  Fixture f;
  String tenantId;
  String slug;
  String portal;
  String base;
  String petsId;
  String prodStage;
  String betaStage;

  @BeforeAll
  void a_tenant_whose_stages_run_different_deployments(TestDatabase db) {
    cp = TestControlPlane.start(db);
    api = cp.client();
    owner = cp.token("owner");
    f = new Fixture(api, owner);
    slug = "docs-" + UUID.randomUUID().toString().substring(0, 6);
    tenantId =
        f.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "Docs"))
            .getString("id");
    portal = "/v1/portal/" + slug;
    base = "/v1/tenants/" + tenantId;
    petsId =
        f.created(base + "/apis", new JsonObject().put("slug", "pets").put("name", "Pets"))
            .getString("id");
    ApiClient.Answer imported =
        api.send(
            "POST",
            owner,
            base + "/apis/" + petsId + "/openapi",
            resource("petstore-aws-export.yaml"),
            "application/yaml");
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    prodStage = f.stage(tenantId, petsId, "prod");
    betaStage = f.stage(tenantId, petsId, "beta");
    f.deploy(tenantId, petsId, prodStage);
    f.deploy(tenantId, petsId, betaStage);
    plan("Free", petsId, "prod", "beta");

    String routes = base + "/apis/" + petsId + "/routes";
    JsonObject health = route(routes, "GET", "/health");
    assertThat(api.delete(owner, routes + "/" + health.getString("id")).status()).isEqualTo(204);
    JsonObject pets = route(routes, "GET", "/pets");
    ApiClient.Answer keyless =
        api.put(
            owner,
            routes + "/" + pets.getString("id"),
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/pets")
                .put("apiKeyRequired", false)
                .put("integrationId", pets.getString("integrationId")));
    assertThat(keyless.status()).as(keyless.toString()).isEqualTo(200);
    String integration = pets.getString("integrationId");
    f.route(tenantId, petsId, integration, "GET", "/owners");
    f.deploy(tenantId, petsId, betaStage);
    f.route(tenantId, petsId, integration, "DELETE", "/pets/{petId}");
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  static String resource(String name) {
    try (InputStream in =
        PortalDocumentsDeploymentsTest.class.getResourceAsStream("/openapi/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String plan(String name, String apiId, String... stages) {
    JsonArray bound = new JsonArray();
    for (String stage : stages) {
      bound.add(new JsonObject().put("apiId", apiId).put("stage", stage));
    }
    return f.created(
            base + "/usage-plans",
            new JsonObject()
                .put("name", name + " " + UUID.randomUUID().toString().substring(0, 4))
                .put("quota", new JsonObject().put("limit", 1000).put("period", "DAY"))
                .put("apiStages", bound))
        .getString("id");
  }

  /** The draft's route with this method and path. */
  JsonObject route(String routes, String method, String path) {
    return api.get(owner, routes).items().stream()
        .map(JsonObject.class::cast)
        .filter(r -> r.getString("method").equals(method))
        .filter(r -> r.getString("resourcePath").equals(path))
        .findFirst()
        .orElseThrow();
  }

  JsonObject document(String apiSlug, String query) {
    ApiClient.Answer doc = api.get(null, portal + "/apis/" + apiSlug + "/openapi" + query);
    assertThat(doc.status()).as(doc.toString()).isEqualTo(200);
    return doc.json();
  }

  /** "METHOD /path" of every operation in the document. */
  static List<String> operations(JsonObject doc) {
    JsonObject paths = doc.getJsonObject("paths");
    return paths.fieldNames().stream()
        .flatMap(
            path ->
                paths.getJsonObject(path).fieldNames().stream()
                    .map(method -> method.toUpperCase(java.util.Locale.ROOT) + " " + path))
        .sorted()
        .toList();
  }

  static JsonObject stage(JsonObject published, String name) {
    return published.getJsonArray("deployments").stream()
        .map(JsonObject.class::cast)
        .filter(d -> d.getString("stage").equals(name))
        .findFirst()
        .orElseThrow();
  }

  static List<String> routes(JsonObject deployment) {
    return deployment.getJsonArray("routes").stream()
        .map(JsonObject.class::cast)
        .map(r -> r.getString("method") + " " + r.getString("path"))
        .toList();
  }

  @Nested
  class UndeployedEdits {
    @Test
    void prod_documents_its_deployment_not_the_draft() {
      JsonObject prod = document("pets", "?stage=prod");
      assertThat(operations(prod))
          .contains("GET /health", "GET /pets", "POST /pets")
          .doesNotContain("GET /owners", "DELETE /pets/{petId}");
      JsonObject getPets = prod.getJsonObject("paths").getJsonObject("/pets").getJsonObject("get");
      assertThat(getPets.getJsonArray("security")).as("deployed with a key").isNotEmpty();
      assertThat(prod.getJsonObject("info").getString("title")).isEqualTo("Pets");
    }

    @Test
    void beta_documents_its_later_deployment() {
      JsonObject beta = document("pets", "?stage=beta");
      assertThat(operations(beta))
          .contains("GET /owners", "GET /pets")
          .doesNotContain("GET /health", "DELETE /pets/{petId}");
      JsonObject getPets = beta.getJsonObject("paths").getJsonObject("/pets").getJsonObject("get");
      assertThat(getPets.containsKey("security")).as("redeployed without a key").isFalse();
    }

    @Test
    void each_document_names_its_own_stage_as_the_server() {
      assertThat(document("pets", "?stage=prod").getJsonArray("servers"))
          .containsExactly(
              new JsonObject()
                  .put("url", "/" + slug + "/pets/prod")
                  .put("description", "Stage prod (path-style address on the gateway)"));
      assertThat(
              document("pets", "?stage=beta")
                  .getJsonArray("servers")
                  .getJsonObject(0)
                  .getString("url"))
          .isEqualTo("/" + slug + "/pets/beta");
    }

    @Test
    void without_a_stage_the_document_is_the_first_stages_by_name() {
      assertThat(document("pets", "")).isEqualTo(document("pets", "?stage=beta"));
    }

    @Test
    void the_api_page_lists_what_each_stage_serves() {
      JsonObject published = api.get(null, portal + "/apis/pets").json();
      assertThat(published.getJsonArray("stages")).containsExactly("beta", "prod");
      JsonObject prod = stage(published, "prod");
      JsonObject beta = stage(published, "beta");
      assertThat(routes(prod)).contains("GET /health").doesNotContain("GET /owners");
      assertThat(routes(beta)).contains("GET /owners").doesNotContain("GET /health");
      assertThat(routes(prod)).doesNotContain("DELETE /pets/{petId}");
      assertThat(prod.getString("deploymentId")).isNotEqualTo(beta.getString("deploymentId"));
      JsonObject prodPets =
          prod.getJsonArray("routes").stream()
              .map(JsonObject.class::cast)
              .filter(
                  r -> r.getString("path").equals("/pets") && r.getString("method").equals("GET"))
              .findFirst()
              .orElseThrow();
      assertThat(prodPets.getBoolean("apiKeyRequired")).isTrue();
      assertThat(prod.getString("deploymentCreatedAt")).isNotBlank();
    }

    @Test
    void the_catalog_list_keeps_its_shape_with_the_callable_stages() {
      JsonObject listed =
          api.get(null, portal + "/apis?q=pets").items().stream()
              .map(JsonObject.class::cast)
              .filter(a -> a.getString("slug").equals("pets"))
              .findFirst()
              .orElseThrow();
      assertThat(listed.getJsonArray("stages")).containsExactly("beta", "prod");
      assertThat(listed.getJsonArray("plans")).isEmpty();
    }

    @Test
    void a_stage_that_is_not_published_has_no_document() {
      ApiClient.Answer unknown = api.get(null, portal + "/apis/pets/openapi?stage=staging");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    }
  }

  @Nested
  class AsDeployed {
    @Test
    void documents_parameters_and_body_models_the_gateway_checks() {
      JsonObject paths = document("pets", "?stage=prod").getJsonObject("paths");
      JsonObject list = paths.getJsonObject("/pets").getJsonObject("get");
      assertThat(list.getJsonArray("parameters"))
          .contains(
              new JsonObject()
                  .put("name", "type")
                  .put("in", "query")
                  .put("required", true)
                  .put("schema", new JsonObject().put("type", "string")));
      JsonObject create = paths.getJsonObject("/pets").getJsonObject("post");
      assertThat(
              create.getJsonArray("parameters").stream()
                  .map(
                      p ->
                          ((JsonObject) p).getString("in")
                              + " "
                              + ((JsonObject) p).getString("name")))
          .containsExactly("header x-request-id");
      JsonObject schema =
          create
              .getJsonObject("requestBody")
              .getJsonObject("content")
              .getJsonObject("application/json")
              .getJsonObject("schema");
      assertThat(schema.getJsonArray("required")).containsExactly("type");
      assertThat(schema.getJsonObject("properties").fieldNames()).contains("type", "price");
      JsonObject one = paths.getJsonObject("/pets/{petId}").getJsonObject("get");
      assertThat(one.getJsonArray("parameters").getJsonObject(0).getString("in")).isEqualTo("path");
    }

    @Test
    void shows_no_implementation_details() {
      for (String stage : List.of("prod", "beta")) {
        String doc = api.get(null, portal + "/apis/pets/openapi?stage=" + stage).body();
        assertThat(doc)
            .doesNotContain("x-amazon-apigateway")
            .doesNotContain("x-turnpike")
            .doesNotContain("backend.example.com")
            .doesNotContain("stageVariables");
      }
    }
  }

  @Nested
  class NotCallable {
    @Test
    void an_api_never_deployed_is_not_in_the_catalog_and_its_plan_is_not_offered() {
      String draftId =
          f.created(base + "/apis", new JsonObject().put("slug", "drafts").put("name", "Drafts"))
              .getString("id");
      f.route(tenantId, draftId, f.integration(tenantId, draftId), "GET", "/soon");
      f.stage(tenantId, draftId, "prod");
      String planId = plan("Early access", draftId, "prod");

      assertThat(api.get(null, portal + "/apis").items().stream())
          .map(a -> ((JsonObject) a).getString("slug"))
          .doesNotContain("drafts");
      assertThat(api.get(null, portal + "/apis/drafts").status()).isEqualTo(404);
      assertThat(api.get(null, portal + "/apis/drafts/openapi").status()).isEqualTo(404);
      assertThat(api.get(null, portal + "/plans").items().stream())
          .map(p -> ((JsonObject) p).getString("id"))
          .doesNotContain(planId);
    }

    @Test
    void a_stage_no_offered_plan_sells_is_neither_listed_nor_documented() {
      String internalStage = f.stage(tenantId, petsId, "internal");
      f.deploy(tenantId, petsId, internalStage);
      assertThat(api.get(null, portal + "/apis/pets").json().getJsonArray("stages"))
          .containsExactly("beta", "prod");
      assertThat(api.get(null, portal + "/apis/pets/openapi?stage=internal").status())
          .isEqualTo(404);
    }

    @Test
    void deploying_publishes_and_a_rollback_documents_the_earlier_deployment() {
      String apiId =
          f.created(base + "/apis", new JsonObject().put("slug", "stocks").put("name", "Stocks"))
              .getString("id");
      String integration = f.integration(tenantId, apiId);
      f.route(tenantId, apiId, integration, "GET", "/quotes");
      String stageId = f.stage(tenantId, apiId, "live");
      plan("Stocks", apiId, "live");
      assertThat(api.get(null, portal + "/apis/stocks").status()).isEqualTo(404);

      String first = f.deploy(tenantId, apiId, stageId).getString("id");
      assertThat(operations(document("stocks", ""))).containsExactly("GET /quotes");
      f.route(tenantId, apiId, integration, "GET", "/history");
      assertThat(operations(document("stocks", ""))).containsExactly("GET /quotes");
      f.deploy(tenantId, apiId, stageId);
      assertThat(operations(document("stocks", ""))).containsExactly("GET /history", "GET /quotes");

      ApiClient.Answer rolledBack =
          api.post(
              owner,
              base + "/apis/" + apiId + "/stages/" + stageId + "/rollback",
              new JsonObject().put("deploymentId", first));
      assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
      assertThat(operations(document("stocks", ""))).containsExactly("GET /quotes");
      assertThat(
              stage(api.get(null, portal + "/apis/stocks").json(), "live")
                  .getString("deploymentId"))
          .isEqualTo(first);
    }
  }
}
