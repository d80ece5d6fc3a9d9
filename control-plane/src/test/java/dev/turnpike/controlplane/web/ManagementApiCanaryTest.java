package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The management API on PostgreSQL: a stage's canary stored (jOOQ, V28), published, promoted and
 * deleted, bad input refused, and another tenant's deployment never reachable.
 */
class ManagementApiCanaryTest extends ManagementApiFeatureTest {
  DeploymentSnapshot published(String tenant, String apiId) {
    return DeploymentSnapshot.CODEC.decode(
        lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
            .value3());
  }

  String stagePath(String tenant, String apiId, String stageId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;
  }

  @Test
  void a_canary_is_stored_published_promoted_and_audited() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String prod = fx.stage(tenant, apiId, "prod");
    String beta = fx.stage(tenant, apiId, "beta");
    String base = fx.deploy(tenant, apiId, prod).getString("id");
    String candidate = fx.deploy(tenant, apiId, beta).getString("id");
    String canaryPath = stagePath(tenant, apiId, prod) + "/canary";

    var set =
        api.put(
            token,
            canaryPath,
            new JsonObject()
                .put("deploymentId", candidate)
                .put("percentTraffic", 10.5)
                .put("stageVariableOverrides", new JsonObject().put("color", "green"))
                .put("useStageCache", false)
                .put("stickinessSeconds", 600));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    var read = api.get(token, stagePath(tenant, apiId, prod));
    JsonObject canary = read.json().getJsonObject("canary");
    assertThat(canary.getString("deploymentId")).isEqualTo(candidate);
    assertThat(canary.getDouble("percentTraffic")).isEqualTo(10.5);
    assertThat(canary.getJsonObject("stageVariableOverrides").getString("color"))
        .isEqualTo("green");
    assertThat(canary.getBoolean("useStageCache")).isFalse();
    assertThat(canary.getInteger("stickinessSeconds")).isEqualTo(600);
    DeploymentSnapshot snapshot = published(tenant, apiId);
    assertThat(snapshot.deploymentId()).isEqualTo(base);
    assertThat(snapshot.canary().deployment().deploymentId()).isEqualTo(candidate);
    assertThat(snapshot.canary().deployment().stageVariables()).containsEntry("color", "green");
    assertThat(snapshot.canary().useStageCache()).isFalse();

    // The canary survives a change of the stage's other settings.
    var updated =
        api.put(token, stagePath(tenant, apiId, prod), new JsonObject().put("description", "x"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(published(tenant, apiId).canary()).isNotNull();

    var promoted = api.post(token, canaryPath + "/promote", new JsonObject());
    assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
    assertThat(promoted.json().getString("deploymentId")).isEqualTo(candidate);
    assertThat(promoted.json().getJsonObject("variables").getString("color")).isEqualTo("green");
    assertThat(promoted.json().getValue("canary")).isNull();
    assertThat(published(tenant, apiId).deploymentId()).isEqualTo(candidate);
    assertThat(published(tenant, apiId).canary()).isNull();

    assertThat(
            api.put(
                    token,
                    canaryPath,
                    new JsonObject().put("deploymentId", base).put("percentTraffic", 1))
                .status())
        .isEqualTo(200);
    var deleted = api.delete(token, canaryPath);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(published(tenant, apiId).canary()).isNull();
    assertThat(auditCount(tenant, "stage.canary.update")).isEqualTo(2);
    assertThat(auditCount(tenant, "stage.canary.promote")).isEqualTo(1);
    assertThat(auditCount(tenant, "stage.canary.delete")).isEqualTo(1);
  }

  @Test
  void bad_canary_settings_are_refused_with_every_problem_and_change_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String prod = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, prod);

    var answer =
        api.put(
            token,
            stagePath(tenant, apiId, prod) + "/canary",
            new JsonObject()
                .put("percentTraffic", 101)
                .put("stageVariableOverrides", new JsonObject().put("no-dash", "x"))
                .put("stickinessSeconds", 0));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(
            answer.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .contains(
            "/deploymentId",
            "/percentTraffic",
            "/stageVariableOverrides/no-dash",
            "/stickinessSeconds");
    assertThat(api.get(token, stagePath(tenant, apiId, prod)).json().getValue("canary")).isNull();
    assertThat(auditCount(tenant, "stage.canary.update")).isZero();
  }

  @Test
  void a_tenant_cannot_make_another_tenants_deployment_its_canary() {
    String victim = fx.tenant();
    String victimApi = fx.api(victim);
    fx.route(victim, victimApi, fx.integration(victim, victimApi), "GET", "/pets");
    String victimDeployment =
        fx.deploy(victim, victimApi, fx.stage(victim, victimApi, "prod")).getString("id");
    String attacker = fx.tenant();
    String attackerApi = fx.api(attacker);
    fx.route(attacker, attackerApi, fx.integration(attacker, attackerApi), "GET", "/pets");
    String attackerStage = fx.stage(attacker, attackerApi, "prod");
    fx.deploy(attacker, attackerApi, attackerStage);

    var answer =
        api.put(
            token,
            stagePath(attacker, attackerApi, attackerStage) + "/canary",
            new JsonObject().put("deploymentId", victimDeployment).put("percentTraffic", 50));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/deploymentId");
    assertThat(published(attacker, attackerApi).canary()).isNull();
  }
}
