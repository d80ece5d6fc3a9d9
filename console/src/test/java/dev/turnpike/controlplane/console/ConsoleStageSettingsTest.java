package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: stage settings (on the console shared by every {@link ConsoleFeatureTest}).
 */
class ConsoleStageSettingsTest extends ConsoleFeatureTest {
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
                            "/pets/GET", new JsonObject().put("rateLimit", 1).put("burstLimit", 2)))
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
