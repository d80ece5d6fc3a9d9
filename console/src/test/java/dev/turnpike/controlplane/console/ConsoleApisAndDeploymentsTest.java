package dev.turnpike.controlplane.console;

import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.openapi.LargeDocuments;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The owner console: apis and deployments (on the console shared by every {@link
 * ConsoleFeatureTest}).
 */
class ConsoleApisAndDeploymentsTest extends ConsoleFeatureTest {
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
            Map.of("method", "POST", "resourcePath", "/pets/{id}", "integrationId", integrationId));
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
                "method", "GET", "resourcePath", "/items/{other}", "integrationId", integrationId));

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
    assertThat(refused.body()).contains("The integration is used by 1 route(s), e.g. GET /in-use");

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

    assertThat(owner.post(apiPath + "/stages", Map.of("name", "prod")).statusCode()).isEqualTo(303);
    String stageId =
        api()
            .get(apiToken, v1("/apis/" + apiId + "/stages"))
            .items()
            .getJsonObject(0)
            .getString("id");
    assertThat(
            owner
                .post(apiPath + "/deployments", Map.of("stageId", stageId, "description", "first"))
                .statusCode())
        .isEqualTo(303);
    fixture.route(tenantId, apiId, integrationId, "GET", "/b");
    assertThat(
            owner
                .post(apiPath + "/deployments", Map.of("stageId", stageId, "description", "second"))
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
        .containsExactlyInAnyOrderEntriesOf(Map.of("petHost", "pets.example.com", "region", "eu"));
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
        .contains("The OpenAPI document has 5000 problems; nothing was changed (the first 100 are")
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
