package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageTracing;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The management API: a stage's tracing (API Gateway's {@code tracingEnabled}) and its share. */
class ManagementApiStageTracingTest extends ManagementApiFeatureTest {
  byte[] publishedBytes(String tenant, String apiId) {
    return lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
        .value3();
  }

  @Test
  void tracing_reaches_the_published_snapshot_and_survives_other_changes() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, stageId);
    // An untraced stage's record has no tracing field: the bytes it had before traces existed.
    assertThat(new String(publishedBytes(tenant, apiId), StandardCharsets.UTF_8))
        .doesNotContain("tracing");
    String stagePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;

    var set =
        api.put(
            token,
            stagePath + "/tracing",
            new JsonObject().put("tracingEnabled", true).put("samplingPercentage", 12.5));

    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().getJsonObject("tracing").getBoolean("tracingEnabled")).isTrue();
    assertThat(DeploymentSnapshot.CODEC.decode(publishedBytes(tenant, apiId)).tracing())
        .isEqualTo(new StageTracing(true, 12.5));
    assertThat(auditCount(tenant, "stage.tracing.update")).isEqualTo(1);
    var updated = api.put(token, stagePath, new JsonObject().put("description", "changed"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    fx.deploy(tenant, apiId, stageId);
    assertThat(DeploymentSnapshot.CODEC.decode(publishedBytes(tenant, apiId)).tracing())
        .isEqualTo(new StageTracing(true, 12.5));
  }

  @Test
  void a_sampling_percentage_outside_0_to_100_is_refused_and_changes_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String stagePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;

    var answer =
        api.put(
            token,
            stagePath + "/tracing",
            new JsonObject().put("tracingEnabled", true).put("samplingPercentage", 101));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(
            answer.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .contains("/samplingPercentage");
    var read = api.get(token, stagePath);
    assertThat(read.json().getJsonObject("tracing").getBoolean("tracingEnabled")).isFalse();
  }

  @Test
  void another_tenants_stage_cannot_be_traced() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String other = fx.tenant();

    var answer =
        api.put(
            token,
            "/v1/tenants/" + other + "/apis/" + apiId + "/stages/" + stageId + "/tracing",
            new JsonObject().put("tracingEnabled", true));

    assertThat(answer.status()).isEqualTo(404);
  }
}
