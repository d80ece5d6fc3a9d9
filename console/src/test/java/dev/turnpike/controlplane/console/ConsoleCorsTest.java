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
 * The owner console: the CORS form on the API's page (on the console shared by every {@link
 * ConsoleFeatureTest}). It saves through the management API's use case, so the API shows what the
 * form saved, and refuses what the API refuses.
 */
class ConsoleCorsTest extends ConsoleFeatureTest {
  @Test
  void the_form_saves_shows_deploys_and_removes_the_configuration() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    String page = tenantPath + "apis/" + apiId;
    assertThat(owner.page(page).body()).contains("action=\"" + page + "/cors\"");

    HttpResponse<String> saved =
        owner.post(
            page + "/cors",
            Map.of(
                "allowOrigins", "https://App.example.com, http://localhost:3000",
                "allowMethods", "GET POST",
                "allowHeaders", "content-type\nx-api-key",
                "exposeHeaders", "",
                "maxAge", "600",
                "allowCredentials", "on"));

    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(location(saved)).isEqualTo(page + "#cors");
    JsonObject cors =
        api().get(apiToken, v1("/apis/" + apiId)).json().getJsonObject("corsConfiguration");
    assertThat(cors.getJsonArray("allowOrigins"))
        .containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(cors.getJsonArray("allowMethods")).containsExactly("GET", "POST");
    assertThat(cors.getJsonArray("allowHeaders")).containsExactly("content-type", "x-api-key");
    assertThat(cors.getInteger("maxAge")).isEqualTo(600);
    assertThat(cors.getBoolean("allowCredentials")).isTrue();
    assertThat(owner.page(page).body())
        .containsPattern(
            "id=\"cors-origins\"[^>]*value=\"https://app.example.com, http://localhost:3000\"");

    fixture.deploy(tenantId, apiId, stageId);
    DeploymentSnapshot snapshot =
        DeploymentSnapshot.CODEC.decode(
            lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")));
    assertThat(snapshot.edge().cors().allowOrigins()).contains("https://app.example.com");

    HttpResponse<String> removed =
        owner.post(
            page + "/cors",
            Map.of(
                "allowOrigins", "",
                "allowMethods", "",
                "allowHeaders", "",
                "exposeHeaders", "",
                "maxAge", ""));
    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).json().getValue("corsConfiguration"))
        .isNull();
  }

  @Test
  void credentials_with_the_wildcard_are_explained_and_change_nothing() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId;
    JsonObject before = api().get(apiToken, v1("/apis/" + apiId)).json();

    HttpResponse<String> answer =
        owner.post(
            page + "/cors",
            Map.of(
                "allowOrigins", "*, https://bad.example/path",
                "maxAge", "100000",
                "allowCredentials", "on"));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("Fetch standard")
        .containsPattern("id=\"cors-max-age\"[^>]*value=\"100000\"[^>]*>\\s*<p class=\"error\">")
        .contains("/corsConfiguration/allowOrigins/1");
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).json()).isEqualTo(before);
  }

  @Test
  void a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    String apiId = fixture.api(tenantId);
    HttpResponse<String> answer =
        owner.postRaw(
            tenantPath + "apis/" + apiId + "/cors", Map.of("allowOrigins", "https://evil.example"));
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).json().getValue("corsConfiguration"))
        .isNull();
  }

  @Test
  void editing_the_other_settings_keeps_the_configuration() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId;
    owner.post(page + "/cors", Map.of("allowOrigins", "https://app.example.com"));
    JsonObject cors =
        api().get(apiToken, v1("/apis/" + apiId)).json().getJsonObject("corsConfiguration");
    assertThat(cors).isNotNull();

    assertThat(owner.post(page + "/settings", Map.of("name", "Renamed")).statusCode())
        .isEqualTo(303);
    assertThat(
            owner
                .post(page + "/gateway-responses/THROTTLED", Map.of("statusCode", "503"))
                .statusCode())
        .isEqualTo(303);

    JsonObject after = api().get(apiToken, v1("/apis/" + apiId)).json();
    assertThat(after.getString("name")).isEqualTo("Renamed");
    assertThat(after.getJsonObject("corsConfiguration")).isEqualTo(cors);
  }
}
