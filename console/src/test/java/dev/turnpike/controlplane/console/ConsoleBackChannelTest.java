package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CLI_CLIENT;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.SplitHorizonKeycloak;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console with Keycloak under two addresses ({@link SplitHorizonKeycloak}): browsers reach it
 * through the public entrance, the console directly ({@value ConsoleSettings#OIDC_INTERNAL_URL}).
 * Only the browser's pages take the public road: discovery, code exchange and token refreshes go to
 * the internal address.
 */
@Tag("keycloak")
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBackChannelTest {
  static final String REALM = SplitHorizonKeycloak.REALM;

  SplitHorizonKeycloak horizon;
  KeycloakServer keycloak;
  TestControlPlane cp;

  @BeforeAll
  void start(TestDatabase db) {
    horizon = SplitHorizonKeycloak.start();
    keycloak = horizon.keycloak();
    cp =
        ConsoleEnvironment.start(
            db,
            keycloak,
            null,
            Map.of(
                ConsoleSettings.OIDC_INTERNAL_URL,
                keycloak.realmUrl(),
                // Every request refreshes the session's tokens: the refresh is a back-channel call.
                ConsoleSettings.SESSION_CHECK_SECONDS,
                "0"));
  }

  @AfterAll
  void stop() {
    if (cp != null) {
      cp.close();
    }
    if (horizon != null) {
      horizon.close();
    }
  }

  @Test
  void the_issuer_is_the_public_address_even_for_tokens_fetched_on_the_internal_one() {
    assertThat(keycloak.issuer()).startsWith("http://localhost:" + horizon.entrancePort() + "/");
    assertThat(keycloak.tokenEndpoint()).startsWith(keycloak.baseUrl() + "/");

    String token = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);

    assertThat(claims(token).getString("iss")).isEqualTo(keycloak.issuer());
  }

  @Test
  void keycloak_read_inside_names_back_channel_endpoints_inside_and_browser_ones_public()
      throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(keycloak.realmUrl() + "/.well-known/openid-configuration"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonObject discovery = new JsonObject(response.body());

      assertThat(discovery.getString("issuer")).isEqualTo(keycloak.issuer());
      assertThat(discovery.getString("authorization_endpoint")).startsWith(keycloak.issuer());
      assertThat(discovery.getString("end_session_endpoint")).startsWith(keycloak.issuer());
      assertThat(discovery.getString("token_endpoint")).startsWith(keycloak.realmUrl());
      assertThat(discovery.getString("jwks_uri")).startsWith(keycloak.realmUrl());
    }
  }

  @Test
  void signs_in_through_the_public_address_while_every_console_call_stays_inside() {
    ConsoleClient browser = new ConsoleClient(ConsoleEnvironment.base(cp));

    HttpResponse<String> landed = browser.signIn(DEMO_OWNER, DEMO_OWNER_PASSWORD);
    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.body()).contains("Create your organization");
    assertThat(browser.get("/console/organizations/new").statusCode()).isEqualTo(200);
    HttpResponse<String> out = browser.post("/console/logout", Map.of());

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(location(out))
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?")
        .contains("id_token_hint=");
    assertThat(horizon.publicRequests())
        .contains("GET " + REALM + "/protocol/openid-connect/auth")
        .contains("POST " + REALM + "/login-actions/authenticate");
    assertThat(horizon.backChannelCallsOnThePublicRoad()).isEmpty();
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
