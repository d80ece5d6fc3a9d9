package dev.turnpike.controlplane.console.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.turnpike.controlplane.console.ConsoleSettings;
import dev.turnpike.oidc.IssuerAddresses;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The console's OIDC client when the provider's public address (the issuer) is not where the
 * console reaches it: against a local stand-in for the provider that serves discovery and the token
 * endpoint on its internal address, and that names whichever endpoints a test gives it. The public
 * address, {@code id.example.invalid}, resolves nowhere: a call sent there fails.
 */
class OidcClientAddressesTest {
  static final String ISSUER = "http://id.example.invalid/realms/turnpike";

  HttpServer provider;
  String internal;
  JsonObject discovery;
  final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    provider.createContext(
        "/",
        exchange -> {
          calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          String path = exchange.getRequestURI().getPath();
          String body =
              path.endsWith("/.well-known/openid-configuration")
                  ? discovery.encode()
                  : path.endsWith("/protocol/openid-connect/token")
                      ? "{\"id_token\":\"id\",\"access_token\":\"access\",\"refresh_token\":\"r\"}"
                      : null;
          byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(
              body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    provider.start();
    internal = "http://127.0.0.1:" + provider.getAddress().getPort() + "/realms/turnpike";
  }

  @AfterEach
  void stop() {
    provider.stop(0);
  }

  OidcClient client(String internalUrl) {
    return new OidcClient(
        new ConsoleSettings(
            "http://127.0.0.1:8081",
            "turnpike-console",
            "secret",
            internalUrl,
            Duration.ofMinutes(30),
            Duration.ofSeconds(60)),
        ISSUER);
  }

  static JsonObject document(String authorizationBase, String tokenBase) {
    return new JsonObject()
        .put("issuer", ISSUER)
        .put("authorization_endpoint", authorizationBase + "/protocol/openid-connect/auth")
        .put("token_endpoint", tokenBase + "/protocol/openid-connect/token")
        .put("end_session_endpoint", authorizationBase + "/protocol/openid-connect/logout");
  }

  @Nested
  class WithAnInternalAddress {
    @Test
    void reads_discovery_there_and_sends_the_browser_to_the_issuers_address() {
      discovery = document(ISSUER, internal);

      try (OidcClient oidc = client(internal)) {
        OidcClient.LoginRequest login = oidc.begin(false);

        assertThat(login.redirect()).startsWith(ISSUER + "/protocol/openid-connect/auth?");
        assertThat(oidc.begin(true).redirect())
            .startsWith(ISSUER + "/protocol/openid-connect/registrations?");
        assertThat(oidc.logoutRedirect("id-token"))
            .startsWith(ISSUER + "/protocol/openid-connect/logout?");
        assertThat(oidc.providerOrigin()).isEqualTo("http://id.example.invalid");
      }
      assertThat(calls).containsExactly("GET /realms/turnpike/.well-known/openid-configuration");
    }

    @Test
    void exchanges_codes_there_when_the_provider_names_its_internal_token_endpoint() {
      discovery = document(ISSUER, internal);

      try (OidcClient oidc = client(internal)) {
        assertThat(oidc.exchange("code", "verifier").accessToken()).isEqualTo("access");
        assertThat(oidc.refresh("r").idToken()).isEqualTo("id");
      }
      assertThat(calls)
          .containsExactly(
              "GET /realms/turnpike/.well-known/openid-configuration",
              "POST /realms/turnpike/protocol/openid-connect/token",
              "POST /realms/turnpike/protocol/openid-connect/token");
    }

    @Test
    void moves_a_token_endpoint_named_on_the_public_address_to_the_internal_one() {
      // A provider that does not resolve back-channel addresses per request names the public one.
      discovery = document(ISSUER, ISSUER);

      try (OidcClient oidc = client(internal + "/")) {
        assertThat(oidc.endpoints().token()).isEqualTo(internal + "/protocol/openid-connect/token");
        assertThat(oidc.exchange("code", "verifier").idToken()).isEqualTo("id");
      }
      assertThat(calls).contains("POST /realms/turnpike/protocol/openid-connect/token");
    }

    @Test
    void moves_browser_endpoints_named_on_the_internal_address_to_the_public_one() {
      discovery = document(internal, internal);

      try (OidcClient oidc = client(internal)) {
        assertThat(oidc.endpoints().authorization())
            .isEqualTo(ISSUER + "/protocol/openid-connect/auth");
        assertThat(oidc.endpoints().endSession())
            .isEqualTo(ISSUER + "/protocol/openid-connect/logout");
        assertThat(oidc.endpoints().token()).isEqualTo(internal + "/protocol/openid-connect/token");
      }
    }

    @Test
    void refuses_a_provider_that_names_its_internal_address_as_the_issuer() {
      discovery = document(internal, internal).put("issuer", internal);

      try (OidcClient oidc = client(internal)) {
        assertThatThrownBy(oidc::endpoints)
            .isInstanceOf(OidcClient.OidcFailure.class)
            .hasMessageContaining("names issuer " + internal)
            .hasMessageContaining("not " + ISSUER);
      }
    }
  }

  @Nested
  class WithoutOne {
    @Test
    void calls_the_issuers_address_which_here_resolves_nowhere() {
      discovery = document(ISSUER, internal);

      try (OidcClient oidc = client(null)) {
        assertThatThrownBy(() -> oidc.begin(false))
            .isInstanceOf(OidcClient.OidcFailure.class)
            .hasMessageContaining("cannot be reached");
      }
      assertThat(calls).isEmpty();
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
