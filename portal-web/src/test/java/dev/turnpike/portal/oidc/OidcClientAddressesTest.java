package dev.turnpike.portal.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.turnpike.oidc.IssuerAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The portal's OIDC client when the provider's public address (the issuer) is not where the portal
 * reaches it: against a local stand-in for the provider that serves discovery and the token
 * endpoint on its internal address and names whichever endpoints a test gives it. The public
 * address, {@code id.example.invalid}, resolves nowhere: a call sent there fails.
 */
class OidcClientAddressesTest {
  static final String ISSUER = "http://id.example.invalid/realms/turnpike";
  static final String CLIENT = "turnpike-portal";

  HttpServer provider;
  String internal;
  JsonObject discovery;
  String nonce = "the-nonce";
  final List<String> calls = new CopyOnWriteArrayList<>();
  Vertx vertx;
  WebClient http;

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
                  : path.endsWith("/protocol/openid-connect/token") ? tokenResponse() : null;
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
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    provider.stop(0);
    await(vertx.close());
  }

  String tokenResponse() {
    JsonObject claims =
        new JsonObject()
            .put("iss", ISSUER)
            .put("aud", CLIENT)
            .put("sub", "someone")
            .put("nonce", nonce)
            .put("exp", Instant.now().plusSeconds(300).getEpochSecond());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String idToken =
        b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8))
            + ".sig";
    return new JsonObject()
        .put("access_token", "access")
        .put("refresh_token", "refresh")
        .put("id_token", idToken)
        .put("expires_in", 300)
        .encode();
  }

  static JsonObject document(String authorizationBase, String tokenBase) {
    return new JsonObject()
        .put("issuer", ISSUER)
        .put("authorization_endpoint", authorizationBase + "/protocol/openid-connect/auth")
        .put("token_endpoint", tokenBase + "/protocol/openid-connect/token")
        .put("end_session_endpoint", authorizationBase + "/protocol/openid-connect/logout");
  }

  OidcClient discover(String internalUrl) throws Exception {
    return await(
        OidcClient.discover(http, new IssuerAddresses(ISSUER, internalUrl), CLIENT, "secret"));
  }

  @Test
  void reads_discovery_on_the_internal_address_and_sends_the_browser_to_the_issuers()
      throws Exception {
    discovery = document(ISSUER, internal);

    OidcClient oidc = discover(internal);
    AuthorizationRequest login = oidc.begin("http://localhost:8082/callback", false);

    assertThat(login.url()).startsWith(ISSUER + "/protocol/openid-connect/auth?");
    assertThat(oidc.begin("http://localhost:8082/callback", true).url())
        .startsWith(ISSUER + "/protocol/openid-connect/registrations?");
    assertThat(oidc.logoutUrl(null, "http://localhost:8082/portal/acme"))
        .startsWith(ISSUER + "/protocol/openid-connect/logout?");
    assertThat(calls).containsExactly("GET /realms/turnpike/.well-known/openid-configuration");
  }

  @Test
  void exchanges_and_refreshes_on_the_internal_token_endpoint_the_provider_names()
      throws Exception {
    discovery = document(ISSUER, internal);
    OidcClient oidc = discover(internal);

    Tokens tokens = await(oidc.exchange("code", "http://localhost:8082/cb", "verifier", nonce));
    await(oidc.refresh(tokens));

    assertThat(tokens.accessToken()).isEqualTo("access");
    assertThat(calls)
        .containsExactly(
            "GET /realms/turnpike/.well-known/openid-configuration",
            "POST /realms/turnpike/protocol/openid-connect/token",
            "POST /realms/turnpike/protocol/openid-connect/token");
  }

  @Test
  void moves_a_token_endpoint_named_on_the_public_address_to_the_internal_one() throws Exception {
    // A provider that does not resolve back-channel addresses per request names the public one.
    discovery = document(ISSUER, ISSUER);
    OidcClient oidc = discover(internal + "/");

    Tokens tokens = await(oidc.exchange("code", "http://localhost:8082/cb", "verifier", nonce));

    assertThat(tokens.idToken()).isNotBlank();
    assertThat(oidc.endpoints().token()).isEqualTo(internal + "/protocol/openid-connect/token");
    assertThat(calls).contains("POST /realms/turnpike/protocol/openid-connect/token");
  }

  @Test
  void moves_browser_endpoints_named_on_the_internal_address_to_the_public_one() throws Exception {
    discovery = document(internal, internal);

    OidcClient.Endpoints endpoints = discover(internal).endpoints();

    assertThat(endpoints.authorization()).isEqualTo(ISSUER + "/protocol/openid-connect/auth");
    assertThat(endpoints.endSession()).isEqualTo(ISSUER + "/protocol/openid-connect/logout");
    assertThat(endpoints.token()).isEqualTo(internal + "/protocol/openid-connect/token");
  }

  @Test
  void refuses_a_provider_that_names_its_internal_address_as_the_issuer() {
    discovery = document(internal, internal).put("issuer", internal);

    assertThatThrownBy(() -> discover(internal))
        .isInstanceOf(OidcClient.OidcFailure.class)
        .hasMessageContaining("names issuer " + internal)
        .hasMessageContaining("expected " + ISSUER);
  }

  @Test
  void without_an_internal_address_discovery_goes_to_the_issuers_which_here_resolves_nowhere() {
    discovery = document(ISSUER, internal);

    assertThatThrownBy(() -> discover(null)).hasMessageContaining("id.example.invalid");
    assertThat(calls).isEmpty();
  }

  private static <T> T await(Future<T> future) throws Exception {
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
