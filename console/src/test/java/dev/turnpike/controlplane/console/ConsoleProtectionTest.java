package dev.turnpike.controlplane.console;

import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The owner console: protection (on the console shared by every {@link ConsoleFeatureTest}). */
class ConsoleProtectionTest extends ConsoleFeatureTest {
  @Test
  void pages_carry_a_script_free_policy_and_refuse_framing() {
    HttpResponse<String> page = owner.page(tenantPath);

    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'");
    assertThat(csp).doesNotContain("script-src").doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    assertThat(page.body()).doesNotContain("<script");
  }

  @Test
  void a_post_without_the_csrf_token_is_refused_with_403_and_changes_nothing() {
    HttpResponse<String> answer =
        owner.postRaw(tenantPath + "apis", Map.of("name", "Sneaky", "slug", "sneaky"));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("This form has expired");
    assertThat(api().get(apiToken, v1("/apis")).body()).doesNotContain("sneaky");
  }

  @Test
  void a_post_with_another_sessions_token_is_refused() {
    ConsoleClient other = new ConsoleClient(owner.base);
    other.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);
    String foreignToken = other.csrf();
    assertThat(foreignToken).isNotEqualTo(owner.csrf());

    HttpResponse<String> answer =
        owner.postRaw(
            tenantPath + "apis",
            Map.of("name", "Sneaky", "slug", "sneaky-2", "_csrf", foreignToken));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(api().get(apiToken, v1("/apis")).body()).doesNotContain("sneaky-2");
  }

  @Test
  void user_data_is_printed_as_text_never_as_markup() {
    HttpResponse<String> created =
        owner.post(
            tenantPath + "apis",
            Map.of(
                "name",
                "<script>alert(1)</script>",
                "slug",
                "xss",
                "description",
                "\"><img src=x onerror=alert(2)>"));
    assertThat(created.statusCode()).isEqualTo(303);

    HttpResponse<String> list = owner.page(tenantPath + "apis");
    HttpResponse<String> detail = owner.follow(created);

    for (HttpResponse<String> page : java.util.List.of(list, detail)) {
      assertThat(page.body())
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
          .doesNotContain("<script>alert(1)")
          .doesNotContain("<img src=x");
    }
  }

  @Test
  void another_organizations_pages_are_not_found() {
    HttpResponse<String> answer = owner.get("/console/t/" + UUID.randomUUID() + "/apis");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(answer.body()).contains("not found").doesNotContain("Exception");
  }

  @Test
  void an_unknown_console_path_is_a_friendly_404_page() {
    HttpResponse<String> answer = owner.get("/console/no/such/page");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body()).contains("There is no such page");
  }
}
