package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.controlplane.testing.ApiClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The management API: a stage's execution logs (API Gateway's loggingLevel, dataTraceEnabled). */
class ManagementApiStageExecutionLoggingTest extends ManagementApiFeatureTest {
  byte[] publishedBytes(String tenant, String apiId) {
    return lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
        .value3();
  }

  StageExecutionLogging published(String tenant, String apiId) {
    return DeploymentSnapshot.CODEC.decode(publishedBytes(tenant, apiId)).executionLogging();
  }

  @Test
  void settings_reach_the_published_snapshot_survive_other_changes_and_redeploys_and_turn_off() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, stageId);
    // Off, the default, is published as the bytes a stage had before execution logs existed.
    assertThat(new String(publishedBytes(tenant, apiId), StandardCharsets.UTF_8))
        .doesNotContain("executionLogging");
    String path =
        "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/execution-logging";
    assertThat(api.get(token, path).json())
        .isEqualTo(new JsonObject().put("loggingLevel", "OFF").put("dataTraceEnabled", false));

    var set =
        api.put(
            token,
            path,
            new JsonObject().put("loggingLevel", "INFO").put("dataTraceEnabled", true));

    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().getJsonObject("executionLogging"))
        .isEqualTo(new JsonObject().put("loggingLevel", "INFO").put("dataTraceEnabled", true));
    StageExecutionLogging info = new StageExecutionLogging(StageExecutionLogging.Level.INFO, true);
    assertThat(published(tenant, apiId)).isEqualTo(info);
    assertThat(auditCount(tenant, "stage.executionLogging.update")).isEqualTo(1);
    assertThat(api.get(token, path).json().getString("loggingLevel")).isEqualTo("INFO");

    String stagePath = path.substring(0, path.length() - "/execution-logging".length());
    var updated = api.put(token, stagePath, new JsonObject().put("description", "changed"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(published(tenant, apiId)).isEqualTo(info);
    fx.deploy(tenant, apiId, stageId);
    assertThat(published(tenant, apiId)).isEqualTo(info);

    var errorsOnly = api.put(token, path, new JsonObject().put("loggingLevel", "ERROR"));
    assertThat(errorsOnly.status()).as(errorsOnly.toString()).isEqualTo(200);
    assertThat(published(tenant, apiId))
        .isEqualTo(new StageExecutionLogging(StageExecutionLogging.Level.ERROR, false));

    var off = api.delete(token, path);

    assertThat(off.status()).as(off.toString()).isEqualTo(200);
    assertThat(off.json().getJsonObject("executionLogging").getString("loggingLevel"))
        .isEqualTo("OFF");
    assertThat(published(tenant, apiId)).isNull();
    assertThat(new String(publishedBytes(tenant, apiId), StandardCharsets.UTF_8))
        .doesNotContain("executionLogging");
    assertThat(auditCount(tenant, "stage.executionLogging.update")).isEqualTo(3);
  }

  @Test
  void bad_settings_are_refused_with_pointers_and_change_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String path =
        "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/execution-logging";
    api.put(token, path, new JsonObject().put("loggingLevel", "ERROR"));

    var unknown = api.put(token, path, new JsonObject().put("loggingLevel", "DEBUG"));
    var missing = api.put(token, path, new JsonObject().put("dataTraceEnabled", true));
    var bodiesWithoutLevel =
        api.put(
            token, path, new JsonObject().put("loggingLevel", "OFF").put("dataTraceEnabled", true));

    assertThat(pointers(unknown)).containsExactly("/loggingLevel");
    assertThat(pointers(missing)).containsExactly("/loggingLevel");
    assertThat(pointers(bodiesWithoutLevel)).containsExactly("/dataTraceEnabled");
    assertThat(api.get(token, path).json())
        .isEqualTo(new JsonObject().put("loggingLevel", "ERROR").put("dataTraceEnabled", false));
    assertThat(auditCount(tenant, "stage.executionLogging.update")).isEqualTo(1);
  }

  @Test
  void another_tenants_stage_can_be_neither_read_nor_set_nor_turned_off() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String own =
        "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/execution-logging";
    api.put(token, own, new JsonObject().put("loggingLevel", "INFO"));
    String other = fx.tenant();
    String foreign =
        "/v1/tenants/" + other + "/apis/" + apiId + "/stages/" + stageId + "/execution-logging";

    var read = api.get(token, foreign);
    var set = api.put(token, foreign, new JsonObject().put("loggingLevel", "OFF"));
    var off = api.delete(token, foreign);

    assertThat(read.status()).isEqualTo(404);
    assertThat(set.status()).isEqualTo(404);
    assertThat(off.status()).isEqualTo(404);
    assertThat(api.get(token, own).json().getString("loggingLevel")).isEqualTo("INFO");
  }

  private static java.util.List<String> pointers(ApiClient.Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    return answer.json().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer"))
        .toList();
  }
}
