package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The management API: stages and deployments (on the control plane shared by every {@link
 * ManagementApiFeatureTest}).
 */
class ManagementApiStagesAndDeploymentsTest extends ManagementApiFeatureTest {
  @Test
  void deploying_freezes_the_definition_and_publishes_the_stage_snapshot() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    String routeId = fx.route(tenant, apiId, integration, "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    JsonObject deployment = fx.deploy(tenant, apiId, stageId);
    assertThat(deployment.getString("hash")).matches("[0-9a-f]{64}");
    assertThat(deployment.getJsonArray("stages")).containsExactly("prod");

    var row = lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"));
    DeploymentSnapshot snapshot = DeploymentSnapshot.CODEC.decode(row.value3());
    assertThat(snapshot.deploymentId()).isEqualTo(deployment.getString("id"));
    assertThat(snapshot.hash()).isEqualTo(deployment.getString("hash"));
    assertThat(snapshot.stage()).isEqualTo("prod");
    assertThat(snapshot.stageVariables()).containsEntry("host", "b.example.com");
    assertThat(snapshot.routes()).hasSize(1);
    assertThat(snapshot.routes().getFirst().routeId()).isEqualTo(routeId);
    assertThat(snapshot.routes().getFirst().integration().uri())
        .isEqualTo("https://backend.example.com/{proxy}");

    // A later change to the definition does not reach the deployed stage.
    fx.route(tenant, apiId, integration, "POST", "/pets");
    var again =
        api.get(
                token,
                "/v1/tenants/"
                    + tenant
                    + "/apis/"
                    + apiId
                    + "/deployments/"
                    + deployment.getString("id"))
            .json();
    assertThat(again.getJsonObject("definition").getJsonArray("routes")).hasSize(1);
    assertThat(again.getString("hash")).isEqualTo(deployment.getString("hash"));
  }

  @Test
  void the_same_definition_hashes_the_same_and_a_change_hashes_differently() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    fx.route(tenant, apiId, integration, "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    String first = fx.deploy(tenant, apiId, stageId).getString("hash");
    String second = fx.deploy(tenant, apiId, stageId).getString("hash");
    fx.route(tenant, apiId, integration, "DELETE", "/pets");
    String third = fx.deploy(tenant, apiId, stageId).getString("hash");
    assertThat(second).isEqualTo(first);
    assertThat(third).isNotEqualTo(first);
  }

  @Test
  void rollback_points_the_stage_at_an_earlier_deployment() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    fx.route(tenant, apiId, integration, "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    String v1 = fx.deploy(tenant, apiId, stageId).getString("id");
    fx.route(tenant, apiId, integration, "POST", "/pets");
    String v2 = fx.deploy(tenant, apiId, stageId).getString("id");
    assertThat(v2).isNotEqualTo(v1);

    var rolledBack =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/rollback",
            new JsonObject().put("deploymentId", v1));
    assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
    assertThat(rolledBack.json().getString("deploymentId")).isEqualTo(v1);
    var snapshot =
        DeploymentSnapshot.CODEC.decode(
            lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
                .value3());
    assertThat(snapshot.deploymentId()).isEqualTo(v1);
    assertThat(snapshot.routes()).hasSize(1);
    assertThat(auditCount(tenant, "stage.rollback")).isEqualTo(1);
  }

  @Test
  void changing_a_deployed_stage_republishes_it_and_deleting_it_publishes_a_tombstone() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, stageId);
    String stagePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;
    var updated =
        api.put(
            token,
            stagePath,
            new JsonObject()
                .put("throttle", new JsonObject().put("rateLimit", 5.5).put("burstLimit", 10))
                .put(
                    "methodThrottles",
                    new JsonObject()
                        .put(
                            "/pets/GET", new JsonObject().put("rateLimit", 1).put("burstLimit", 2)))
                .put("accessLogFields", new JsonArray().add("requestId").add("status")));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    String key = Topics.deploymentKey(tenant, apiId, "prod");
    var snapshot =
        DeploymentSnapshot.CODEC.decode(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3());
    assertThat(snapshot.stageThrottle().rateLimit()).isEqualTo(5.5);
    assertThat(snapshot.methodThrottles().get("/pets/GET").burstLimit()).isEqualTo(2);
    assertThat(snapshot.accessLogFields()).containsExactly("requestId", "status");

    assertThat(api.delete(token, stagePath).status()).isEqualTo(204);
    assertThat(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3()).isNull();
  }

  @Test
  void a_stage_with_bad_settings_is_refused_with_every_problem() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    var answer =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages",
            new JsonObject()
                .put("name", "prod stage")
                .put("variables", new JsonObject().put("bad name", "x"))
                .put("throttle", new JsonObject().put("rateLimit", -1))
                .put(
                    "methodThrottles",
                    new JsonObject()
                        .put("pets", new JsonObject().put("rateLimit", 1).put("burstLimit", 1)))
                .put("accessLogFields", new JsonArray().add("nope")));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(
            answer.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .contains(
            "/name",
            "/variables/bad name",
            "/throttle/rateLimit",
            "/throttle/burstLimit",
            "/methodThrottles/pets",
            "/accessLogFields/0");
  }
}
