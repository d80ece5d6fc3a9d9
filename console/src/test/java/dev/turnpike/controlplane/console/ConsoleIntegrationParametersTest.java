package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: integration parameters (on the console shared by every {@link
 * ConsoleFeatureTest}).
 */
class ConsoleIntegrationParametersTest extends ConsoleFeatureTest {
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
