package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: validation (on the console shared by every {@link ConsoleFeatureTest}). */
class ConsoleValidationTest extends ConsoleFeatureTest {
  @Test
  void invalid_fields_come_back_with_the_message_beside_them_and_the_values_kept() {
    HttpResponse<String> answer =
        owner.post(tenantPath + "apis", Map.of("name", "Orders & Co", "slug", "Bad Slug!"));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .containsPattern(
            "id=\"api-slug\"[^>]*value=\"Bad Slug!\"[^>]*>\\s*<p class=\"error\">must be 1 to 40"
                + " lower-case letters")
        .contains("value=\"Orders &amp; Co\"");
    assertThat(api().get(apiToken, v1("/apis")).body()).doesNotContain("Orders");
  }

  @Test
  void an_organization_slug_that_is_taken_is_reported_beside_the_slug() {
    HttpResponse<String> answer =
        owner.post("/console/organizations", Map.of("name", "Copy", "slug", "acme-console"));

    assertThat(answer.statusCode()).isEqualTo(409);
    assertThat(answer.body()).containsPattern("id=\"org-slug\"[^>]*>\\s*<p class=\"error\">");
  }

  @Test
  void tiered_pricing_without_tiers_is_explained_on_the_plan_form() {
    HttpResponse<String> answer =
        owner.post(
            tenantPath + "plans",
            Map.of(
                "name",
                "Tiered",
                "status",
                "active",
                "pricing.model",
                "graduated",
                "pricing.currency",
                "usd",
                "pricing.unitPrice",
                "0.0000001"));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("has more than 6 decimal places")
        .doesNotContain("Exception");
    HttpResponse<String> second =
        owner.post(
            tenantPath + "plans",
            Map.of(
                "name",
                "Tiered",
                "status",
                "active",
                "pricing.model",
                "graduated",
                "pricing.currency",
                "usd"));
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(second.body()).contains("is required for graduated pricing");
    assertThat(api().get(apiToken, v1("/usage-plans")).body()).doesNotContain("Tiered");
  }
}
