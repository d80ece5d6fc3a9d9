package dev.turnpike.controlplane.auth;

import static dev.turnpike.testkit.keycloak.TurnpikeRealm.API_AUDIENCE;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CLI_CLIENT;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CONSOLE_CLIENT;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CONSOLE_CLIENT_SECRET;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_EMAIL;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_EMAIL;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_PASSWORD;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEVELOPER_ROLE;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.OWNER_ROLE;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.PORTAL_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane's token validation against a real Keycloak running the Turnpike realm of {@code
 * infra/keycloak}: real tokens, real JWKS, the production verifier. Tagged {@code keycloak} because
 * the server takes a while to start (once per test JVM); {@code -DexcludedGroups=keycloak} leaves
 * it out while iterating.
 */
@Tag("keycloak")
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealKeycloakTokenTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  KeycloakServer keycloak;
  Vertx vertx;
  JwksTokenVerifier verifier;
  HttpClient http;

  @BeforeAll
  void start(KeycloakServer keycloak) {
    this.keycloak = keycloak;
    vertx = Vertx.vertx();
    verifier = verifierFor(keycloak.issuer(), API_AUDIENCE);
    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @AfterAll
  void stop() {
    verifier.close();
    http.close();
    await(vertx.close());
  }

  JwksTokenVerifier verifierFor(String issuer, String audience) {
    JwksTokenVerifier created =
        new JwksTokenVerifier(
            vertx,
            new JwksTokenVerifier.Config(
                issuer,
                audience,
                keycloak.jwksUrl(),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5)));
    await(created.start());
    return created;
  }

  @Nested
  class ManagementApiTokens {
    @Test
    void accepts_a_demo_owner_token_from_the_cli_client() {
      String token = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);

      VerifiedToken verified = await(verifier.verify(token));

      assertThat(verified.subject()).isNotBlank().isEqualTo(claims(token).getString("sub"));
      assertThat(verified.email()).isEqualTo(DEMO_OWNER_EMAIL);
      assertThat(verified.displayName()).isEqualTo("Demo Owner");
      assertThat(claims(token).getString("iss")).isEqualTo(keycloak.issuer());
      assertThat(audiences(token)).contains(API_AUDIENCE);
    }

    @Test
    void rejects_a_token_issued_without_the_turnpike_api_audience() {
      // admin-cli is Keycloak's own public client in every realm; it has no audience mapper, so
      // its tokens are genuine, from the right issuer, and not meant for the management API.
      String token = keycloak.passwordGrant("admin-cli", DEMO_OWNER, DEMO_OWNER_PASSWORD);
      assertThat(audiences(token)).doesNotContain(API_AUDIENCE);

      assertThat(failureOf(verifier.verify(token)))
          .isInstanceOf(JwksTokenVerifier.InvalidToken.class);
    }

    @Test
    void rejects_a_turnpike_token_where_another_audience_is_required() {
      String token = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);
      JwksTokenVerifier billing = verifierFor(keycloak.issuer(), "turnpike-billing");
      try {
        assertThat(failureOf(billing.verify(token)))
            .isInstanceOf(JwksTokenVerifier.InvalidToken.class);
      } finally {
        billing.close();
      }
    }

    @Test
    void rejects_a_token_when_another_issuer_is_expected() {
      String token = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);
      JwksTokenVerifier master = verifierFor(keycloak.baseUrl() + "/realms/master", API_AUDIENCE);
      try {
        assertThat(failureOf(master.verify(token)))
            .isInstanceOf(JwksTokenVerifier.InvalidToken.class);
      } finally {
        master.close();
      }
    }

    @Test
    void rejects_a_keycloak_token_whose_claims_were_changed() {
      String[] parts =
          keycloak.passwordGrant(CLI_CLIENT, DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD).split("\\.");
      JsonObject forged = claims(String.join(".", parts)).put("email", DEMO_OWNER_EMAIL);
      String payload =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(forged.encode().getBytes(StandardCharsets.UTF_8));

      assertThat(failureOf(verifier.verify(parts[0] + "." + payload + "." + parts[2])))
          .isInstanceOf(JwksTokenVerifier.InvalidToken.class);
    }
  }

  @Nested
  class RealmDefinition {
    @Test
    void gives_the_demo_owner_the_owner_and_developer_roles() {
      String token = keycloak.passwordGrant(CLI_CLIENT, DEMO_OWNER, DEMO_OWNER_PASSWORD);

      assertThat(realmRoles(token)).contains(OWNER_ROLE, DEVELOPER_ROLE);
    }

    @Test
    void gives_the_demo_developer_the_developer_role_only() {
      String token = keycloak.passwordGrant(CLI_CLIENT, DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);

      assertThat(realmRoles(token)).contains(DEVELOPER_ROLE).doesNotContain(OWNER_ROLE);
      assertThat(await(verifier.verify(token)).email()).isEqualTo(DEMO_DEVELOPER_EMAIL);
    }

    @Test
    void refuses_the_password_grant_to_the_console() {
      HttpResponse<String> response =
          post(
              keycloak.tokenEndpoint(),
              "grant_type=password&client_id="
                  + CONSOLE_CLIENT
                  + "&client_secret="
                  + CONSOLE_CLIENT_SECRET
                  + "&username="
                  + DEMO_OWNER
                  + "&password="
                  + DEMO_OWNER_PASSWORD);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("error"))
          .isEqualTo("unauthorized_client");
    }

    @Test
    void offers_self_registration_through_the_portal_on_any_loopback_port() {
      HttpResponse<String> response =
          get(registrationPage(PORTAL_CLIENT, "http://127.0.0.1:54321/callback"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("kc-register-form");
    }

    @Test
    void refuses_a_redirect_to_a_host_it_does_not_know() {
      HttpResponse<String> response =
          get(registrationPage(PORTAL_CLIENT, "https://attacker.example/callback"));

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).doesNotContain("kc-register-form");
    }

    @Test
    void requires_pkce_from_the_console() {
      String withoutPkce =
          keycloak.issuer()
              + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id="
              + CONSOLE_CLIENT
              + "&redirect_uri="
              + encoded("http://localhost:8081/callback");

      HttpResponse<String> response = get(withoutPkce);

      assertThat(response.statusCode()).isEqualTo(302);
      assertThat(response.headers().firstValue("Location").orElseThrow())
          .startsWith("http://localhost:8081/callback")
          .contains("error=invalid_request")
          .contains("code_challenge");
    }

    String registrationPage(String client, String redirectUri) {
      return keycloak.issuer()
          + "/protocol/openid-connect/registrations?response_type=code&scope=openid&client_id="
          + client
          + "&redirect_uri="
          + encoded(redirectUri)
          + "&code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    }
  }

  static JsonObject claims(String token) {
    String payload = token.split("\\.")[1];
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  static List<Object> audiences(String token) {
    Object aud = claims(token).getValue("aud");
    return aud instanceof JsonArray array
        ? array.stream().toList()
        : aud == null ? List.of() : List.of(aud);
  }

  static List<Object> realmRoles(String token) {
    return claims(token)
        .getJsonObject("realm_access", new JsonObject())
        .getJsonArray("roles", new JsonArray())
        .stream()
        .toList();
  }

  static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  HttpResponse<String> get(String uri) {
    return send(HttpRequest.newBuilder(URI.create(uri)).timeout(WAIT).GET().build());
  }

  HttpResponse<String> post(String uri, String form) {
    return send(
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(WAIT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.uri() + " failed", e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the future did not succeed", e);
    }
  }

  static Throwable failureOf(Future<?> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .handle((value, failure) -> failure)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the future did not complete", e);
    }
  }
}
