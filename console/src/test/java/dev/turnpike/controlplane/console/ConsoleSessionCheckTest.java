package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console session follows Keycloak's: with the check interval at zero every request refreshes
 * the session's tokens at the real Keycloak, so rotation is exercised on each page and a session
 * ended at Keycloak ends the console session on the next request.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KeycloakExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSessionCheckTest {
  KeycloakServer keycloak;
  TestControlPlane cp;

  @BeforeAll
  void start(TestDatabase db, KeycloakServer keycloak) {
    this.keycloak = keycloak;
    cp =
        ConsoleEnvironment.start(
            db, keycloak, null, Map.of(ConsoleSettings.SESSION_CHECK_SECONDS, "0"));
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  @Test
  void a_live_session_keeps_working_while_its_tokens_rotate() {
    ConsoleClient browser = new ConsoleClient(ConsoleEnvironment.base(cp));
    browser.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> page = browser.get("/console/organizations/new");
      assertThat(page.statusCode()).as("request %d", i).isEqualTo(200);
    }
  }

  @Test
  void a_session_ended_at_keycloak_ends_the_console_session_on_the_next_request() {
    ConsoleClient browser = new ConsoleClient(ConsoleEnvironment.base(cp));
    browser.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);
    assertThat(browser.get("/console/organizations/new").statusCode()).isEqualTo(200);

    // The person signs out in Keycloak itself (say, from its account console).
    HttpResponse<String> confirm =
        browser.absolute(keycloak.issuer() + "/protocol/openid-connect/logout");
    HttpResponse<String> loggedOut = browser.submitForm(confirm, "logout-confirm");
    assertThat(loggedOut.statusCode()).isIn(200, 302);

    HttpResponse<String> next = browser.get("/console/organizations/new");
    assertThat(next.statusCode()).isEqualTo(303);
    assertThat(location(next)).startsWith("/console/login");
  }
}
