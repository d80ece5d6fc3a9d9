package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.contracts.config.StageExecutionLogging.Level;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: a stage's execution logging on its page. */
class ConsoleStageExecutionLoggingTest extends ConsoleFeatureTest {
  String[] deployedStage() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    fixture.deploy(tenantId, apiId, stageId);
    return new String[] {apiId, stageId};
  }

  StageExecutionLogging published(String apiId) {
    return DeploymentSnapshot.CODEC
        .decode(lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")))
        .executionLogging();
  }

  @Test
  void the_stage_page_sets_a_level_with_full_data_and_turns_it_off() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    assertThat(owner.page(stagePath).body())
        .contains("Execution logging")
        .contains("Log full request/response data")
        .containsPattern("<option value=\"OFF\" selected");

    HttpResponse<String> saved =
        owner.post(
            stagePath,
            Map.of("execution.shown", "1", "execution.level", "INFO", "execution.dataTrace", "on"));

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(published(ids[0])).isEqualTo(new StageExecutionLogging(Level.INFO, true));
    assertThat(owner.page(stagePath).body())
        .containsPattern("<option value=\"INFO\" selected")
        .containsPattern("name=\"execution.dataTrace\" checked");

    HttpResponse<String> off =
        owner.post(stagePath, Map.of("execution.shown", "1", "execution.level", "OFF"));

    assertThat(off.statusCode()).as(off.body()).isEqualTo(303);
    assertThat(published(ids[0])).isNull();
  }

  @Test
  void full_data_without_a_level_is_explained_beside_the_field_and_changes_nothing() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    JsonObject before = api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json();

    HttpResponse<String> refused =
        owner.post(
            stagePath,
            Map.of("execution.shown", "1", "execution.level", "OFF", "execution.dataTrace", "on"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern(
            "Log full request/response data[^<]*</label>\\s*<p class=\"error\">[^<]*loggingLevel");
    assertThat(api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json())
        .isEqualTo(before);
  }
}
