package dev.turnpike.webkit.oidc;

import static dev.turnpike.webkit.oidc.OidcClientTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OIDC client when the provider's public address (the issuer) is not where the service reaches
 * it, as inside a container network: the stand-in provider serves discovery, keys and tokens on its
 * internal address and names whichever endpoints a test gives it. The public address, {@code
 * id.example.invalid}, resolves nowhere: a call sent there fails.
 */
class OidcClientAddressesTest {
  static final String ISSUER = "http://id.example.invalid/realms/t";
  static final String REALM = "/realms/t";

  Vertx vertx;
  StandInProvider provider;
  String internal;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    provider = StandInProvider.start();
    internal = provider.issuer();
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    await(vertx.close());
  }

  OidcClient client(String internalUrl) {
    return OidcClient.create(
        vertx,
        new OidcClientSettings(
            ISSUER, internalUrl, StandInProvider.CLIENT, StandInProvider.SECRET, Duration.ZERO));
  }

  @Test
  void reads_discovery_and_keys_there_and_sends_the_browser_to_the_issuers_address()
      throws Exception {
    provider.discovery = StandInProvider.document(ISSUER, internal, ISSUER);

    try (OidcClient oidc = client(internal)) {
      assertThat(await(oidc.begin("http://localhost/cb", false)).url())
          .startsWith(ISSUER + "/protocol/openid-connect/auth?");
      assertThat(await(oidc.begin("http://localhost/cb", true)).url())
          .startsWith(ISSUER + "/protocol/openid-connect/registrations?");
      assertThat(await(oidc.logoutUrl("id-token", "http://localhost/")))
          .startsWith(ISSUER + "/protocol/openid-connect/logout?");
      assertThat(oidc.providerOrigin()).isEqualTo("http://id.example.invalid");
    }
    assertThat(provider.calls)
        .containsExactly(
            "GET " + REALM + "/.well-known/openid-configuration",
            "GET " + REALM + "/protocol/openid-connect/certs");
  }

  @Test
  void moves_back_channel_endpoints_named_on_the_public_address_to_the_internal_one()
      throws Exception {
    // A provider that does not resolve back-channel addresses per request names the public one.
    provider.discovery = StandInProvider.document(ISSUER, ISSUER, ISSUER);

    try (OidcClient oidc = client(internal + "/")) {
      await(oidc.refresh(new OidcTokens("id", "access", "refresh", Instant.now())));
    }
    assertThat(provider.calls)
        .containsExactly(
            "GET " + REALM + "/.well-known/openid-configuration",
            "GET " + REALM + "/protocol/openid-connect/certs",
            "POST " + REALM + "/protocol/openid-connect/token");
  }

  @Test
  void moves_browser_endpoints_named_on_the_internal_address_to_the_public_one() throws Exception {
    provider.discovery = StandInProvider.document(internal, internal, ISSUER);

    try (OidcClient oidc = client(internal)) {
      assertThat(await(oidc.begin("http://localhost/cb", false)).url())
          .startsWith(ISSUER + "/protocol/openid-connect/auth?");
      assertThat(await(oidc.logoutUrl(null, "http://localhost/")))
          .startsWith(ISSUER + "/protocol/openid-connect/logout?");
    }
  }

  @Test
  void refuses_a_provider_that_names_its_internal_address_as_the_issuer() {
    provider.discovery = StandInProvider.document(internal, internal, internal);

    try (OidcClient oidc = client(internal)) {
      assertThatThrownBy(() -> await(oidc.ready()))
          .isInstanceOf(OidcFailure.class)
          .hasMessageContaining("names issuer " + internal)
          .hasMessageContaining("not " + ISSUER);
    }
  }

  @Test
  void without_an_internal_address_calls_the_issuers_which_here_resolves_nowhere() {
    provider.discovery = StandInProvider.document(ISSUER, internal, ISSUER);

    try (OidcClient oidc = client(null)) {
      assertThatThrownBy(() -> await(oidc.begin("http://localhost/cb", false)))
          .isInstanceOf(OidcFailure.class)
          .hasMessageContaining("cannot be reached")
          .hasMessageContaining("id.example.invalid");
    }
    assertThat(provider.calls).isEmpty();
  }

  @Test
  void a_failed_discovery_is_tried_again_on_the_next_use() throws Exception {
    provider.discovery = StandInProvider.document(internal, internal, internal);
    try (OidcClient oidc = client(internal)) {
      assertThatThrownBy(() -> await(oidc.ready())).isInstanceOf(OidcFailure.class);

      provider.discovery = StandInProvider.document(ISSUER, internal, ISSUER);

      await(oidc.ready());
    }
  }

  @Test
  void addresses_under_neither_base_are_left_as_given() {
    IssuerAddresses addresses = new IssuerAddresses(ISSUER + "/", "http://keycloak:8180/realms/t");

    assertThat(addresses.backChannel("https://elsewhere.example/token"))
        .isEqualTo("https://elsewhere.example/token");
    assertThat(addresses.backChannel(ISSUER + "x/token")).isEqualTo(ISSUER + "x/token");
    assertThat(addresses.frontChannel(null)).isNull();
    assertThat(new IssuerAddresses(ISSUER, null).internal()).isEqualTo(ISSUER);
  }
}
