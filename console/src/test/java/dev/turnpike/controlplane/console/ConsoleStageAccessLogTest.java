package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: a stage's custom access-log format on its page. */
class ConsoleStageAccessLogTest extends ConsoleFeatureTest {
  static final String CLF =
      "$context.identity.sourceIp - - [$context.requestTime] \"$context.httpMethod"
          + " $context.routeKey $context.protocol\" $context.status $context.requestId";

  String[] deployedStage() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    fixture.deploy(tenantId, apiId, stageId);
    return new String[] {apiId, stageId};
  }

  String published(String apiId) {
    return DeploymentSnapshot.CODEC
        .decode(lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")))
        .accessLogFormat();
  }

  static Map<String, String> formatForm(String format) {
    return Map.of("accessLog.shown", "1", "accessLog.format", format);
  }

  @Test
  void the_stage_page_sets_a_format_with_api_gateways_examples_beside_it_and_clears_it() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    assertThat(owner.page(stagePath).body())
        .contains("Custom access-log format")
        .contains("$context.identity.sourceIp - - [$context.requestTime]")
        .contains("{ \"requestId\":\"$context.requestId\"");

    HttpResponse<String> saved = owner.post(stagePath, formatForm(CLF));

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(published(ids[0])).isEqualTo(CLF);
    assertThat(owner.page(stagePath).body())
        .contains("value=\"$context.identity.sourceIp - - [$context.requestTime]");

    HttpResponse<String> cleared = owner.post(stagePath, formatForm(""));

    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(303);
    assertThat(published(ids[0])).isNull();
  }

  @Test
  void a_bad_format_is_explained_beside_its_field_and_changes_nothing() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    JsonObject before = api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json();

    HttpResponse<String> refused =
        owner.post(stagePath, formatForm("$context.status $context.noSuchThing"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern(
            "name=\"accessLog.format\"[^>]*value=\"\\$context.status \\$context.noSuchThing\""
                + "[^>]*>\\s*<p class=\"error\">[^<]*\\$context.noSuchThing[^<]*"
                + "\\$context.requestId");
    assertThat(api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json())
        .isEqualTo(before);
  }
}
