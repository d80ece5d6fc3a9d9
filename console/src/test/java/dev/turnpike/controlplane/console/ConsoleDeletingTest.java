package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: deleting (on the console shared by every {@link ConsoleFeatureTest}). */
class ConsoleDeletingTest extends ConsoleFeatureTest {
  @Test
  void an_api_is_deleted_after_a_confirmation_that_says_what_goes_with_it() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    fixture.deploy(tenantId, apiId, stageId);
    String planId = fixture.plan(tenantId, apiId, "prod");
    String planName = api().get(apiToken, v1("/usage-plans/" + planId)).json().getString("name");
    String apiPath = tenantPath + "apis/" + apiId;
    assertThat(owner.page(apiPath).body()).contains("href=\"" + apiPath + "/delete\"");

    HttpResponse<String> confirm = owner.page(apiPath + "/delete");

    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body())
        .contains("Delete API Pets?")
        .contains("Its 1 route and 1 integration are deleted.")
        .contains("Its 1 stage (prod) and its 1 deployment are deleted.")
        .contains("Gateway nodes stop serving prod within seconds")
        .contains("Usage plan " + planName + " will no longer cover its stages");
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(200);

    HttpResponse<String> deleted = owner.submitForm(confirm, apiPath + "/delete");

    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(location(deleted)).isEqualTo(tenantPath + "apis");
    assertThat(owner.follow(deleted).body())
        .contains("<p class=\"notice\" role=\"status\">API Pets was deleted.</p>");
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(404);
    assertThat(api().get(apiToken, v1("/usage-plans/" + planId)).json().getJsonArray("apiStages"))
        .isEmpty();
    assertThat(owner.page(tenantPath + "audit").body())
        .containsPattern("<td><code>api.delete</code></td>\\s*<td>api " + apiId.substring(0, 8));
  }

  @Test
  void a_stage_is_deleted_and_its_api_stays() {
    String apiId = fixture.api(tenantId);
    String stageId = fixture.stage(tenantId, apiId, "beta");
    String planId = fixture.plan(tenantId, apiId, "beta");
    String stagePath = tenantPath + "apis/" + apiId + "/stages/" + stageId;
    assertThat(owner.page(stagePath).body()).contains("href=\"" + stagePath + "/delete\"");

    HttpResponse<String> confirm = owner.page(stagePath + "/delete");
    assertThat(confirm.body())
        .contains("Delete stage beta of Pets?")
        .contains("It serves no deployment, so the gateway is not affected.")
        .contains("will no longer cover it");

    HttpResponse<String> deleted = owner.submitForm(confirm, stagePath + "/delete");

    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(location(deleted)).isEqualTo(tenantPath + "apis/" + apiId);
    assertThat(owner.follow(deleted).body()).contains("Stage beta was deleted.");
    assertThat(api().get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId)).status())
        .isEqualTo(404);
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(200);
    assertThat(api().get(apiToken, v1("/usage-plans/" + planId)).status()).isEqualTo(200);
    assertThat(api().get(apiToken, v1("/audit")).body()).contains("stage.delete");
  }

  @Test
  void a_plan_is_deleted_but_one_with_subscriptions_is_refused_and_kept() {
    String apiId = fixture.api(tenantId);
    fixture.stage(tenantId, apiId, "sold");
    String free = fixture.plan(tenantId, apiId, "sold");
    String sold = fixture.plan(tenantId, apiId, "sold");
    fixture.subscribe(tenantId, fixture.app(tenantId), sold);

    HttpResponse<String> confirm = owner.page(tenantPath + "plans/" + free + "/delete");
    HttpResponse<String> deleted =
        owner.submitForm(confirm, tenantPath + "plans/" + free + "/delete");

    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(location(deleted)).isEqualTo(tenantPath + "plans");
    assertThat(owner.follow(deleted).body())
        .containsPattern("Usage plan Gold [0-9a-f-]+ was deleted.");
    assertThat(api().get(apiToken, v1("/usage-plans/" + free)).status()).isEqualTo(404);

    String soldPath = tenantPath + "plans/" + sold + "/delete";
    HttpResponse<String> blocked = owner.page(soldPath);
    assertThat(blocked.body())
        .contains("1 subscription (of any status) use this plan")
        .doesNotContain("action=\"" + soldPath + "\"");
    HttpResponse<String> refused = owner.post(soldPath, Map.of());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body())
        .contains("The plan has subscriptions; archive it (status &quot;archived&quot;)");
    assertThat(api().get(apiToken, v1("/usage-plans/" + sold)).status()).isEqualTo(200);
  }

  @Test
  void a_delete_without_the_csrf_token_is_refused_with_403_and_deletes_nothing() {
    String apiId = fixture.api(tenantId);
    String stageId = fixture.stage(tenantId, apiId, "kept");
    String planId = fixture.plan(tenantId, apiId, "kept");

    for (String path :
        java.util.List.of(
            "apis/" + apiId + "/stages/" + stageId + "/delete",
            "plans/" + planId + "/delete",
            "apis/" + apiId + "/delete")) {
      HttpResponse<String> answer = owner.postRaw(tenantPath + path, Map.of());
      assertThat(answer.statusCode()).as(path).isEqualTo(403);
      assertThat(answer.body()).contains("This form has expired");
    }
    assertThat(api().get(apiToken, v1("/apis/" + apiId + "/stages/" + stageId)).status())
        .isEqualTo(200);
    assertThat(api().get(apiToken, v1("/usage-plans/" + planId)).status()).isEqualTo(200);
  }

  @Test
  void a_viewer_sees_no_delete_button_and_their_delete_is_refused() {
    String apiId = fixture.api(tenantId);
    String apiPath = tenantPath + "apis/" + apiId;
    withViewer(
        (viewer, viewerId) -> {
          assertThat(viewer.page(apiPath).body()).doesNotContain(apiPath + "/delete");
          HttpResponse<String> confirm = viewer.page(apiPath + "/delete");
          assertThat(confirm.statusCode()).isEqualTo(200);
          assertThat(confirm.body())
              .contains("Your role here is viewer")
              .doesNotContain("action=\"" + apiPath + "/delete\"");

          HttpResponse<String> answer = viewer.post(apiPath + "/delete", Map.of());

          assertThat(answer.statusCode()).isEqualTo(403);
          assertThat(answer.body()).contains("Not allowed");
          assertThat(api().get(apiToken, v1("/apis/" + apiId)).status()).isEqualTo(200);
        });
  }
}
