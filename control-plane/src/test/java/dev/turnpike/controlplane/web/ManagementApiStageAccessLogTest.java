package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The management API: a stage's access-log format (API Gateway's accessLogSettings.format). */
class ManagementApiStageAccessLogTest extends ManagementApiFeatureTest {
  static final String FORMAT =
      "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
          + "\"status\":\"$context.status\"}";

  byte[] publishedBytes(String tenant, String apiId) {
    return lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
        .value3();
  }

  @Test
  void a_format_reaches_the_published_snapshot_survives_other_changes_and_is_cleared() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, stageId);
    // A stage without a format is published as the bytes it had before formats existed.
    assertThat(new String(publishedBytes(tenant, apiId), StandardCharsets.UTF_8))
        .doesNotContain("accessLogFormat");
    String stagePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;

    var set = api.put(token, stagePath + "/access-log", new JsonObject().put("format", FORMAT));

    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().getString("accessLogFormat")).isEqualTo(FORMAT);
    assertThat(DeploymentSnapshot.CODEC.decode(publishedBytes(tenant, apiId)).accessLogFormat())
        .isEqualTo(FORMAT);
    assertThat(auditCount(tenant, "stage.accessLog.update")).isEqualTo(1);
    var updated = api.put(token, stagePath, new JsonObject().put("description", "changed"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    fx.deploy(tenant, apiId, stageId);
    assertThat(DeploymentSnapshot.CODEC.decode(publishedBytes(tenant, apiId)).accessLogFormat())
        .isEqualTo(FORMAT);

    var cleared = api.delete(token, stagePath + "/access-log");

    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    assertThat(cleared.json().getString("accessLogFormat")).isNull();
    assertThat(DeploymentSnapshot.CODEC.decode(publishedBytes(tenant, apiId)).accessLogFormat())
        .isNull();
    assertThat(auditCount(tenant, "stage.accessLog.update")).isEqualTo(2);
  }

  @Test
  void a_bad_format_is_refused_with_each_problem_under_format_and_changes_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String stagePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;

    var answer =
        api.put(
            token,
            stagePath + "/access-log",
            new JsonObject().put("format", "$context.status $context.noSuchThing"));

    assertThat(answer.status()).isEqualTo(400);
    var errors = answer.json().getJsonArray("errors").stream().map(e -> (JsonObject) e).toList();
    assertThat(errors).extracting(e -> e.getString("pointer")).containsOnly("/format");
    assertThat(errors)
        .extracting(e -> e.getString("message"))
        .anySatisfy(detail -> assertThat(detail).contains("$context.noSuchThing"))
        .anySatisfy(detail -> assertThat(detail).contains("$context.requestId"));
    var read = api.get(token, stagePath);
    assertThat(read.json().getString("accessLogFormat")).isNull();
    assertThat(auditCount(tenant, "stage.accessLog.update")).isZero();
  }

  @Test
  void another_tenants_stage_cannot_be_given_a_format() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String other = fx.tenant();

    var answer =
        api.put(
            token,
            "/v1/tenants/" + other + "/apis/" + apiId + "/stages/" + stageId + "/access-log",
            new JsonObject().put("format", FORMAT));

    assertThat(answer.status()).isEqualTo(404);
  }
}
