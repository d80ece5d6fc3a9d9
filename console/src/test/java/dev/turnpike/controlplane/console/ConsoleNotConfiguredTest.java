package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Without its OIDC settings the console says what is missing on every page, and nothing else. */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleNotConfiguredTest {
  TestControlPlane cp;
  ConsoleClient browser;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db, null, Map.of(), ConsoleEnvironment::console);
    browser = new ConsoleClient(ConsoleEnvironment.base(cp));
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  @Test
  void every_console_page_names_the_missing_settings_with_503() {
    for (String path : List.of("/console/", "/console/login", "/console/t/x/apis")) {
      HttpResponse<String> page = browser.get(path);

      assertThat(page.statusCode()).as(path).isEqualTo(503);
      assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      assertThat(page.body())
          .contains("The console is not configured")
          .contains(ConsoleSettings.PUBLIC_URL)
          .contains(ConsoleSettings.CLIENT_SECRET);
    }
  }

  @Test
  void a_post_is_answered_the_same_way() {
    HttpResponse<String> answer = browser.postRaw("/console/organizations", Map.of());

    assertThat(answer.statusCode()).isEqualTo(503);
  }

  @Test
  void the_management_api_is_unaffected() {
    assertThat(cp.client().get(null, "/v1/openapi.json").status()).isEqualTo(200);
    assertThat(cp.client().get(cp.token("someone"), "/v1/me").status()).isEqualTo(200);
  }

  @Test
  void the_stylesheet_is_served_without_a_session() {
    HttpResponse<String> css = browser.get("/console/static/console.css");

    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertThat(css.headers().allValues("Set-Cookie")).isEmpty();
  }
}
