package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.PlanRecord;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: plan stage limits (on the console shared by every {@link ConsoleFeatureTest}).
 */
class ConsolePlanStageLimitsTest extends ConsoleFeatureTest {
  /** An API with GET and POST /pets deployed to stage {@code live}, and a plan granting it. */
  String[] planOnDeployedStage() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    fixture.route(tenantId, apiId, integrationId, "POST", "/pets");
    fixture.deploy(tenantId, apiId, fixture.stage(tenantId, apiId, "live"));
    return new String[] {apiId, fixture.plan(tenantId, apiId, "live")};
  }

  JsonObject binding(String planId) {
    return api()
        .get(apiToken, v1("/usage-plans/" + planId))
        .json()
        .getJsonArray("apiStages")
        .getJsonObject(0);
  }

  @Test
  void method_throttles_saved_for_a_stage_reach_the_api_and_the_plans_gateway_record() {
    String[] ids = planOnDeployedStage();
    String apiId = ids[0];
    String planId = ids[1];
    String planPath = tenantPath + "plans/" + planId;
    String limitsPath = planPath + "/stages/" + apiId + "/live";
    assertThat(owner.page(planPath).body()).contains("href=\"" + limitsPath + "\"");
    HttpResponse<String> page = owner.page(limitsPath);
    assertThat(page.body())
        .contains("<option value=\"/pets/GET\">GET /pets</option>")
        .contains("<option value=\"/pets/POST\">POST /pets</option>");

    HttpResponse<String> saved =
        owner.post(
            limitsPath,
            Map.of(
                "throttle.rate", "20",
                "throttle.burst", "40",
                "mt.0.key", "/pets/GET",
                "mt.0.rate", "5.5",
                "mt.0.burst", "10",
                "mt.1.key", "",
                "mt.1.rate", "",
                "mt.1.burst", ""));

    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(location(saved)).isEqualTo(planPath);
    assertThat(owner.follow(saved).body()).contains("The limits of").contains("were saved.");
    JsonObject binding = binding(planId);
    assertThat(binding.getJsonObject("throttle").getDouble("rateLimit")).isEqualTo(20.0);
    JsonObject methods = binding.getJsonObject("methodThrottles");
    assertThat(methods.fieldNames()).containsExactly("/pets/GET");
    assertThat(methods.getJsonObject("/pets/GET").getDouble("rateLimit")).isEqualTo(5.5);
    assertThat(methods.getJsonObject("/pets/GET").getInteger("burstLimit")).isEqualTo(10);
    PlanRecord record =
        PlanRecord.CODEC.decode(lastOutbox(Topics.PLANS, Topics.planKey(tenantId, planId)));
    assertThat(record.apiStages().getFirst().methodThrottles().get("/pets/GET").burstLimit())
        .isEqualTo(10);
    assertThat(owner.page(planPath).body())
        .containsPattern("<td>20/s, burst 40</td>")
        .containsPattern("<code>/pets/GET</code>\\s*<span>5.5/s, burst 10</span>");

    HttpResponse<String> replaced =
        owner.post(
            limitsPath,
            Map.of(
                "mt.0.key", "/pets/GET",
                "mt.0.rate", "5.5",
                "mt.0.burst", "10",
                "mt.0.remove", "on",
                "mt.1.key", "/pets/POST",
                "mt.1.rate", "1",
                "mt.1.burst", "2"));

    assertThat(replaced.statusCode()).isEqualTo(303);
    JsonObject after = binding(planId);
    assertThat(after.getJsonObject("methodThrottles").fieldNames()).containsExactly("/pets/POST");
    assertThat(after.getValue("throttle")).isNull();
  }

  @Test
  void saving_the_plan_form_keeps_the_limits_set_for_its_stages() {
    String[] ids = planOnDeployedStage();
    String planId = ids[1];
    owner.post(
        tenantPath + "plans/" + planId + "/stages/" + ids[0] + "/live",
        Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "3", "mt.0.burst", "6"));

    HttpResponse<String> saved =
        owner.post(
            tenantPath + "plans/" + planId,
            Map.of(
                "name", "Renamed",
                "status", "active",
                "pricing.model", "free",
                "pricing.currency", "usd",
                "stage", ids[0] + "/live"));

    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(
            binding(planId)
                .getJsonObject("methodThrottles")
                .getJsonObject("/pets/GET")
                .getInteger("burstLimit"))
        .isEqualTo(6);
  }

  @Test
  void an_invalid_limit_is_explained_beside_its_row_and_changes_nothing() {
    String[] ids = planOnDeployedStage();
    String planId = ids[1];
    String limitsPath = tenantPath + "plans/" + planId + "/stages/" + ids[0] + "/live";
    JsonObject before = binding(planId);

    HttpResponse<String> negative =
        owner.post(
            limitsPath,
            Map.of(
                "mt.0.key", "/pets/GET",
                "mt.0.rate", "1",
                "mt.0.burst", "5",
                "mt.1.key", "/pets/POST",
                "mt.1.rate", "-2",
                "mt.1.burst", "1"));
    HttpResponse<String> unnamed =
        owner.post(limitsPath, Map.of("mt.0.key", "", "mt.0.rate", "7", "mt.0.burst", "8"));
    HttpResponse<String> twice =
        owner.post(
            limitsPath,
            Map.of(
                "mt.0.key", "/pets/GET",
                "mt.0.rate", "1",
                "mt.0.burst", "1",
                "mt.1.key", "/pets/GET",
                "mt.1.rate", "2",
                "mt.1.burst", "2"));

    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body())
        .containsPattern(
            "name=\"mt.1.rate\"[^>]*value=\"-2\"[^>]*>\\s*<p class=\"error\">must be at least 0")
        .containsPattern("name=\"mt.0.rate\"[^>]*value=\"1\"[^>]*>\\s*</td>")
        .doesNotContain("Please correct the following");
    assertThat(unnamed.statusCode()).isEqualTo(400);
    assertThat(unnamed.body())
        .containsPattern(
            "name=\"mt.0.key\"[\\s\\S]*?</select>\\s*<p class=\"error\">choose a method")
        .containsPattern("name=\"mt.0.rate\"[^>]*value=\"7\"");
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.body()).contains("is given in more than one row");
    assertThat(binding(planId)).isEqualTo(before);
  }

  @Test
  void a_viewer_sees_the_limits_without_a_form_and_their_save_is_refused() {
    String[] ids = planOnDeployedStage();
    String planId = ids[1];
    String planPath = tenantPath + "plans/" + planId;
    String limitsPath = planPath + "/stages/" + ids[0] + "/live";
    owner.post(limitsPath, Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "3", "mt.0.burst", "6"));
    withViewer(
        (viewer, viewerId) -> {
          HttpResponse<String> limits = viewer.page(limitsPath);
          assertThat(limits.statusCode()).isEqualTo(200);
          assertThat(limits.body())
              .contains("Your role here is viewer")
              .contains("value=\"/pets/GET\" selected")
              .doesNotContain("action=\"" + limitsPath + "\"")
              .doesNotContain("Save limits");
          assertThat(viewer.page(planPath).body())
              .doesNotContain("action=\"" + planPath + "\"")
              .doesNotContain("Save plan");

          HttpResponse<String> answer =
              viewer.post(
                  limitsPath, Map.of("mt.0.key", "/pets/GET", "mt.0.rate", "1", "mt.0.burst", "1"));

          assertThat(answer.statusCode()).isEqualTo(403);
          assertThat(answer.body()).contains("Not allowed");
        });
    assertThat(
            binding(planId)
                .getJsonObject("methodThrottles")
                .getJsonObject("/pets/GET")
                .getInteger("burstLimit"))
        .isEqualTo(6);
  }
}
