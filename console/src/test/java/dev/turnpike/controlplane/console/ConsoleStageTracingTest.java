package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageTracing;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: a stage's traces on its page. */
class ConsoleStageTracingTest extends ConsoleFeatureTest {
  String[] deployedStage() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    fixture.deploy(tenantId, apiId, stageId);
    return new String[] {apiId, stageId};
  }

  StageTracing published(String apiId) {
    return DeploymentSnapshot.CODEC
        .decode(lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")))
        .tracingOrOff();
  }

  static Map<String, String> tracingForm(String percentage) {
    return Map.of("tracing.shown", "1", "tracing.enabled", "on", "tracing.percentage", percentage);
  }

  @Test
  void the_stage_page_turns_tracing_on_with_its_sampling_percentage() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    assertThat(owner.page(stagePath).body()).contains("Traces");

    HttpResponse<String> saved = owner.post(stagePath, tracingForm("25"));

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(published(ids[0])).isEqualTo(new StageTracing(true, 25));
    assertThat(owner.page(stagePath).body())
        .containsPattern("name=\"tracing.percentage\"[^>]*value=\"25\"");
  }

  @Test
  void a_percentage_over_100_is_explained_beside_its_field_and_changes_nothing() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    JsonObject before = api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json();

    HttpResponse<String> refused = owner.post(stagePath, tracingForm("150"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern(
            "name=\"tracing.percentage\"[^>]*value=\"150\"[^>]*>\\s*<p class=\"error\">");
    assertThat(api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json())
        .isEqualTo(before);
  }
}
