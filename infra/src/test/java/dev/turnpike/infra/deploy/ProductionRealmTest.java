package dev.turnpike.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The production realm ({@code infra/keycloak/turnpike-realm.json}) imported by a real Keycloak as
 * compose imports it: its client secrets and public URLs come from Keycloak's environment, and it
 * has no demo user and no password grant.
 */
@Tag("keycloak")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionRealmTest {
  static final String CONSOLE_URL = "https://console.example.com";

  private final String consoleSecret = "console-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newHttpClient();
  private KeycloakServer keycloak;

  @BeforeAll
  void importTheProductionRealm() {
    keycloak =
        KeycloakServer.start(
            TurnpikeRealm.productionFile(),
            null,
            Map.of(
                "TURNPIKE_CP_CONSOLE_CLIENT_SECRET",
                consoleSecret,
                "TURNPIKE_CP_CONSOLE_PUBLIC_URL",
                CONSOLE_URL,
                "TURNPIKE_PORTAL_CLIENT_SECRET",
                "portal-" + UUID.randomUUID(),
                "TURNPIKE_PORTAL_PUBLIC_URL",
                "https://developers.example.com"));
  }

  @AfterAll
  void stop() {
    if (keycloak != null) {
      keycloak.close();
    }
    http.close();
  }

  @Test
  void the_console_client_authenticates_with_the_secret_from_the_environment_only()
      throws Exception {
    assertThat(introspectAs("turnpike-console", consoleSecret).statusCode()).isEqualTo(200);
    assertThat(introspectAs("turnpike-console", "turnpike-console-local-secret").statusCode())
        .isNotEqualTo(200);
    assertThat(
            introspectAs("turnpike-console", "${TURNPIKE_CP_CONSOLE_CLIENT_SECRET}").statusCode())
        .isNotEqualTo(200);
  }

  @Test
  void sign_in_redirects_go_to_the_public_url_and_not_to_loopback() throws Exception {
    assertThat(authorize(CONSOLE_URL + "/console/callback").statusCode()).isEqualTo(200);
    assertThat(authorize("http://localhost:8081/console/callback").statusCode()).isEqualTo(400);
    assertThat(authorize("http://127.0.0.1:4321/console/callback").statusCode()).isEqualTo(400);
  }

  @Test
  void has_no_demo_user_and_no_password_grant() {
    assertThatThrownBy(
            () ->
                keycloak.passwordGrant(
                    TurnpikeRealm.CLI_CLIENT,
                    TurnpikeRealm.DEMO_OWNER,
                    TurnpikeRealm.DEMO_OWNER_PASSWORD))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HTTP 4");
  }

  private HttpResponse<String> introspectAs(String clientId, String secret)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(keycloak.issuer() + "/protocol/openid-connect/token/introspect"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    form(
                        Map.of(
                            "client_id",
                            clientId,
                            "client_secret",
                            secret,
                            "token",
                            "not-a-token"))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> authorize(String redirectUri)
      throws IOException, InterruptedException {
    String query =
        form(
            Map.of(
                "client_id", "turnpike-console",
                "redirect_uri", redirectUri,
                "response_type", "code",
                "scope", "openid",
                "state", "s",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method", "S256"));
    return http.send(
        HttpRequest.newBuilder(
                URI.create(keycloak.issuer() + "/protocol/openid-connect/auth?" + query))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
