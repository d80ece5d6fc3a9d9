package dev.turnpike.webkit.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The OIDC client against a stand-in provider: the authorization code flow with PKCE, and every way
 * an ID token can be wrong, each of which must refuse the sign-in.
 */
class OidcClientTest {
  static final String CALLBACK = "http://localhost:8082/callback";

  Vertx vertx;
  StandInProvider provider;
  OidcClient oidc;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    provider = StandInProvider.start();
    oidc = OidcClient.create(vertx, provider.settings());
  }

  @AfterEach
  void stop() throws Exception {
    oidc.close();
    provider.close();
    await(vertx.close());
  }

  @Test
  void a_sign_in_uses_pkce_state_and_nonce_and_the_exchange_proves_the_verifier() throws Exception {
    LoginRequest login = await(oidc.begin(CALLBACK, false));
    Map<String, String> query = query(login.url());

    assertThat(login.url()).startsWith(provider.issuer() + "/protocol/openid-connect/auth?");
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", StandInProvider.CLIENT)
        .containsEntry("redirect_uri", CALLBACK)
        .containsEntry("scope", "openid email profile")
        .containsEntry("state", login.state())
        .containsEntry("nonce", login.nonce())
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("code_challenge", OidcClient.challenge(login.verifier()));
    assertThat(query.get("code_challenge")).isNotEqualTo(login.verifier());

    provider.idToken = provider.signed(provider.claims(login.nonce()));
    SignedIn signedIn = await(oidc.finish("the-code", CALLBACK, login.verifier(), login.nonce()));

    assertThat(signedIn.subject()).isEqualTo("person-1");
    assertThat(signedIn.name("nobody")).isEqualTo("Ada");
    assertThat(signedIn.tokens().refreshToken()).startsWith("refresh-");
    assertThat(provider.lastTokenForm)
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("code", "the-code")
        .containsEntry("redirect_uri", CALLBACK)
        .containsEntry("code_verifier", login.verifier())
        .containsEntry("client_id", StandInProvider.CLIENT)
        .containsEntry("client_secret", StandInProvider.SECRET);
  }

  @Test
  void every_sign_in_gets_its_own_state_nonce_and_verifier() throws Exception {
    LoginRequest one = await(oidc.begin(CALLBACK, false));
    LoginRequest two = await(oidc.begin(CALLBACK, false));

    assertThat(two.state()).isNotEqualTo(one.state()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(two.nonce()).isNotEqualTo(one.nonce());
    assertThat(two.verifier()).isNotEqualTo(one.verifier()).hasSizeGreaterThanOrEqualTo(43);
  }

  @Nested
  class RefusesAnIdToken {
    LoginRequest login;
    JsonObject claims;

    @BeforeEach
    void begin() throws Exception {
      login = await(oidc.begin(CALLBACK, false));
      claims = provider.claims(login.nonce());
    }

    Future<SignedIn> finish(String idToken) {
      provider.idToken = idToken;
      return oidc.finish("code", CALLBACK, login.verifier(), login.nonce());
    }

    void assertRefused(String idToken, String why) {
      assertThatThrownBy(() -> await(finish(idToken)))
          .isInstanceOf(OidcFailure.class)
          .hasMessageContaining(why);
    }

    @Test
    void signed_with_a_key_the_provider_does_not_publish_under_its_key_id() {
      assertRefused(
          StandInProvider.signed(claims, StandInProvider.rsa(), provider.kid),
          "could not be verified");
    }

    @Test
    void signed_with_an_unknown_key_id() {
      assertRefused(
          StandInProvider.signed(claims, StandInProvider.rsa(), "attacker"),
          "could not be verified");
    }

    @Test
    void that_is_unsigned() {
      String header = StandInProvider.segment(new JsonObject().put("alg", "none"));
      String payload = StandInProvider.segment(claims);

      assertRefused(header + "." + payload + ".", "could not be verified");
      assertRefused(header + "." + payload, "could not be verified");
    }

    @Test
    void signed_with_hmac_under_a_secret_of_the_attackers_choice() {
      assertRefused(
          provider.hmacSigned(claims, "attacker-secret-attacker-secret!".getBytes()),
          "could not be verified");
    }

    @Test
    void carrying_another_sign_ins_nonce() {
      assertRefused(provider.signed(claims.put("nonce", "another")), "nonce");
    }

    @Test
    void carrying_no_nonce() {
      claims.remove("nonce");

      assertRefused(provider.signed(claims), "nonce");
    }

    @Test
    void issued_for_another_client() {
      claims.put("aud", "someone-else").remove("azp");

      assertRefused(provider.signed(claims), "could not be verified");
    }

    @Test
    void naming_no_audience() {
      claims.remove("aud");

      assertRefused(provider.signed(claims), "not for this client");
    }

    @Test
    void for_this_client_among_others_but_authorised_for_another() {
      claims
          .put("aud", new JsonArray().add(StandInProvider.CLIENT).add("other"))
          .put("azp", "other");

      assertRefused(provider.signed(claims), "could not be verified");
    }

    @Test
    void from_another_issuer() {
      assertRefused(
          provider.signed(claims.put("iss", "https://evil.example/realms/t")),
          "could not be verified");
    }

    @Test
    void that_has_expired() {
      assertRefused(
          provider.signed(claims.put("exp", Instant.now().minusSeconds(60).getEpochSecond())),
          "expired");
    }

    @Test
    void that_is_missing() {
      assertRefused(null, "without an ID token");
    }
  }

  @Test
  void reads_the_keys_again_when_the_provider_rotates_them() throws Exception {
    oidc = OidcClient.create(vertx, provider.settings(), Duration.ZERO);
    await(oidc.ready());
    provider.key = StandInProvider.rsa();
    provider.kid = "key-2";
    LoginRequest login = await(oidc.begin(CALLBACK, false));
    provider.idToken = provider.signed(provider.claims(login.nonce()));

    SignedIn signedIn = await(oidc.finish("code", CALLBACK, login.verifier(), login.nonce()));

    assertThat(signedIn.subject()).isEqualTo("person-1");
    assertThat(provider.calls)
        .filteredOn(call -> call.endsWith("/certs"))
        .as("at start, and once after the rotation")
        .hasSize(2);
  }

  @Test
  void a_token_naming_unknown_keys_does_not_make_every_sign_in_read_them_again() throws Exception {
    await(oidc.ready());
    for (int i = 0; i < 3; i++) {
      LoginRequest login = await(oidc.begin(CALLBACK, false));
      provider.idToken =
          StandInProvider.signed(provider.claims(login.nonce()), StandInProvider.rsa(), "k" + i);
      assertThatThrownBy(() -> await(oidc.finish("c", CALLBACK, login.verifier(), login.nonce())))
          .isInstanceOf(OidcFailure.class);
    }

    assertThat(provider.calls).filteredOn(call -> call.endsWith("/certs")).hasSize(1);
  }

  @Test
  void a_refresh_keeps_the_new_tokens_and_a_refused_one_ends_the_session() throws Exception {
    OidcTokens tokens = new OidcTokens("id", "access", "refresh-0", Instant.now());

    OidcTokens fresh = await(oidc.refresh(tokens));
    assertThat(fresh.refreshToken()).isNotEqualTo("refresh-0");
    assertThat(fresh.idToken()).as("kept when none came").isEqualTo("id");
    assertThat(provider.lastTokenForm)
        .containsEntry("grant_type", "refresh_token")
        .containsEntry("refresh_token", "refresh-0");

    provider.refuseRefresh = true;
    assertThatThrownBy(() -> await(oidc.refresh(fresh))).isInstanceOf(SessionEnded.class);
  }

  @Test
  void a_provider_that_cannot_be_reached_does_not_end_a_session() throws Exception {
    await(oidc.ready());
    provider.close();

    assertThatThrownBy(
            () -> await(oidc.refresh(new OidcTokens("id", "a", "refresh", Instant.now()))))
        .isInstanceOf(OidcFailure.class)
        .isNotInstanceOf(SessionEnded.class);
  }

  @Test
  void logout_goes_to_the_providers_end_session_endpoint_with_the_id_token_hint() throws Exception {
    String url = await(oidc.logoutUrl("the-id-token", "http://localhost:8082/home"));

    assertThat(url).startsWith(provider.issuer() + "/protocol/openid-connect/logout?");
    assertThat(query(url))
        .containsEntry("id_token_hint", "the-id-token")
        .containsEntry("client_id", StandInProvider.CLIENT)
        .containsEntry("post_logout_redirect_uri", "http://localhost:8082/home");
  }

  @Test
  void sign_up_goes_to_keycloaks_registration_page_with_the_same_parameters() throws Exception {
    LoginRequest signUp = await(oidc.begin(CALLBACK, true));

    assertThat(signUp.url())
        .startsWith(provider.issuer() + "/protocol/openid-connect/registrations?");
    assertThat(query(signUp.url()))
        .containsEntry("state", signUp.state())
        .containsEntry("code_challenge", OidcClient.challenge(signUp.verifier()));
  }

  static Map<String, String> query(String url) {
    Map<String, String> values = new HashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      values.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
