package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: developer portal (on the console shared by every {@link ConsoleFeatureTest}).
 */
class ConsoleDeveloperPortalTest extends ConsoleFeatureTest {
  @Test
  void branding_saved_on_the_portal_page_is_what_the_portal_shows() {
    HttpResponse<String> answer =
        owner.post(
            tenantPath + "portal/branding",
            Map.of(
                "displayName", "Acme Developers",
                "logoUrl", "https://cdn.acme.test/logo.png",
                "primaryColor", "#112233",
                "accentColor", "#AABBCC"));

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(location(answer)).isEqualTo(tenantPath + "portal");
    JsonObject branding =
        api().get(null, "/v1/portal/acme-console").json().getJsonObject("branding");
    assertThat(branding.getString("displayName")).isEqualTo("Acme Developers");
    assertThat(branding.getString("logoUrl")).isEqualTo("https://cdn.acme.test/logo.png");
    assertThat(branding.getString("primaryColor")).isEqualTo("#112233");
    assertThat(branding.getString("accentColor")).isEqualTo("#AABBCC");
    HttpResponse<String> page = owner.page(tenantPath + "portal");
    assertThat(page.body())
        .contains("Developer portal")
        .containsPattern("id=\"portal-name\"[^>]*value=\"Acme Developers\"")
        .containsPattern("id=\"portal-primary\"[^>]*value=\"#112233\"");
  }

  @Test
  void a_bad_colour_is_explained_beside_its_field_and_changes_nothing() {
    JsonObject before = api().get(null, "/v1/portal/acme-console").json().getJsonObject("branding");

    HttpResponse<String> answer =
        owner.post(
            tenantPath + "portal/branding",
            Map.of(
                "displayName", "Evil Portal",
                "primaryColor", "red;}body{x:y",
                "accentColor", "#e8a33d"));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .containsPattern(
            "id=\"portal-primary\"[^>]*value=\"red;}body\\{x:y\"[^>]*>\\s*<p"
                + " class=\"error\">must be a colour like #1f4b99")
        .containsPattern("id=\"portal-name\"[^>]*value=\"Evil Portal\"");
    assertThat(api().get(null, "/v1/portal/acme-console").json().getJsonObject("branding"))
        .isEqualTo(before);
  }

  @Test
  void a_plan_is_hidden_from_the_portal_and_shown_again() {
    String apiId = fixture.api(tenantId);
    fixture.stage(tenantId, apiId, "portal");
    String planId = fixture.plan(tenantId, apiId, "portal");
    String toggle = tenantPath + "portal/plans/" + planId + "/visibility";

    HttpResponse<String> hidden = owner.post(toggle, Map.of("visible", "false"));

    assertThat(hidden.statusCode()).isEqualTo(303);
    assertThat(owner.page(tenantPath + "portal").body())
        .containsPattern(
            "<td>hidden</td>\\s*<td>\\s*<form method=\"post\" action=\"" + toggle + "\"");
    assertThat(owner.post(toggle, Map.of("visible", "true")).statusCode()).isEqualTo(303);
    assertThat(owner.page(tenantPath + "portal").body())
        .containsPattern(
            "<td>shown</td>\\s*<td>\\s*<form method=\"post\" action=\"" + toggle + "\"");
    assertThat(api().get(apiToken, v1("/audit")).body()).contains("plan.portal_visibility");
  }
}
