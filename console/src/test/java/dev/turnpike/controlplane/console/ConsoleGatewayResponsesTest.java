package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: gateway responses (on the console shared by every {@link ConsoleFeatureTest}).
 */
class ConsoleGatewayResponsesTest extends ConsoleFeatureTest {
  @Test
  void an_override_is_saved_listed_deployed_and_reset() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    String list = tenantPath + "apis/" + apiId + "/gateway-responses";
    assertThat(owner.page(tenantPath + "apis/" + apiId).body()).contains("href=\"" + list + "\"");
    assertThat(owner.page(list).body())
        .containsPattern(
            "<td><code>THROTTLED</code></td>\\s*<td>429</td>\\s*<td class=\"muted\">none</td>")
        .contains("<code>DEFAULT_4XX</code>");

    HttpResponse<String> saved =
        owner.post(
            list + "/THROTTLED",
            Map.of(
                "statusCode", "503",
                "header.0.name", "Retry-After",
                "header.0.value", "10",
                "header.1.name", "",
                "header.1.value", "",
                "body",
                    "{\"message\":$context.error.messageString,\"hint\":\"</textarea><b>slow</b>\"}"));

    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(location(saved)).isEqualTo(list);
    assertThat(owner.follow(saved).body()).contains("THROTTLED was saved; deploy the API");
    JsonObject throttled =
        api()
            .get(apiToken, v1("/apis/" + apiId))
            .json()
            .getJsonObject("gatewayResponses")
            .getJsonObject("THROTTLED");
    assertThat(throttled.getInteger("statusCode")).isEqualTo(503);
    assertThat(throttled.getJsonObject("headers").getMap())
        .containsExactly(Map.entry("Retry-After", "10"));
    assertThat(owner.page(list).body())
        .contains("<span>status 503</span><span>, 1 header(s)</span><span>, body <code>");
    HttpResponse<String> edit = owner.page(list + "/THROTTLED");
    assertThat(edit.body())
        .contains("&lt;/textarea&gt;&lt;b&gt;slow&lt;/b&gt;")
        .doesNotContain("<b>slow</b>")
        .containsPattern("name=\"header.0.name\"[^>]*value=\"Retry-After\"");
    fixture.deploy(tenantId, apiId, stageId);
    DeploymentSnapshot snapshot =
        DeploymentSnapshot.CODEC.decode(
            lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")));
    assertThat(snapshot.gatewayResponses().get("THROTTLED").statusCode()).isEqualTo(503);

    HttpResponse<String> reset = owner.submitForm(edit, list + "/THROTTLED/reset");

    assertThat(reset.statusCode()).isEqualTo(303);
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).json().getJsonObject("gatewayResponses"))
        .isEmpty();
    assertThat(api().get(apiToken, v1("/audit")).body()).contains("api.update");
  }

  @Test
  void a_bad_status_and_header_are_explained_beside_their_fields_and_change_nothing() {
    String apiId = fixture.api(tenantId);
    String path = tenantPath + "apis/" + apiId + "/gateway-responses/DEFAULT_4XX";
    JsonObject before = api().get(apiToken, v1("/apis/" + apiId)).json();

    HttpResponse<String> answer =
        owner.post(
            path,
            Map.of(
                "statusCode", "700",
                "header.0.name", "Bad Header",
                "header.0.value", "x",
                "body", "{}"));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .containsPattern(
            "id=\"response-status\"[^>]*value=\"700\"[^>]*>\\s*<p class=\"error\">must be between"
                + " 100 and 599")
        .containsPattern(
            "name=\"header.0.name\"[^>]*value=\"Bad Header\"[^>]*>\\s*<p class=\"error\">must be a"
                + " header name")
        .contains(">{}</textarea>");
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).json()).isEqualTo(before);
    assertThat(
            owner.get(tenantPath + "apis/" + apiId + "/gateway-responses/NOT_A_TYPE").statusCode())
        .isEqualTo(404);
  }

  @Test
  void a_viewer_sees_the_overrides_without_forms() {
    String apiId = fixture.api(tenantId);
    String list = tenantPath + "apis/" + apiId + "/gateway-responses";
    owner.post(list + "/QUOTA_EXCEEDED", Map.of("statusCode", "402"));
    withViewer(
        (viewer, viewerId) -> {
          assertThat(viewer.page(list).body()).contains("status 402");
          HttpResponse<String> page = viewer.page(list + "/QUOTA_EXCEEDED");
          assertThat(page.body())
              .contains("Your role here is viewer")
              .containsPattern("id=\"response-status\"[^>]*value=\"402\"")
              .doesNotContain("action=\"" + list)
              .doesNotContain("Reset to the default");
          assertThat(viewer.post(list + "/QUOTA_EXCEEDED/reset", Map.of()).statusCode())
              .isEqualTo(403);
        });
    assertThat(
            api()
                .get(apiToken, v1("/apis/" + apiId))
                .json()
                .getJsonObject("gatewayResponses")
                .getJsonObject("QUOTA_EXCEEDED")
                .getInteger("statusCode"))
        .isEqualTo(402);
  }
}
