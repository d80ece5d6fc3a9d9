package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.authorizer.jwt.TestIssuer;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Routes behind a JWT authorizer through a real gateway listener, against a real OpenID issuer
 * (discovery document and JWK set on a free port) whose keys are generated here.
 */
class GatewayJwtTest {
  static final String AUTHORIZER = "jwt-1";
  static final String KEY = "tpk_jwtroute0000000000000000000000000000000";
  static final String PATH = "/acme/pets/prod/orders/42";

  final Vertx servers = Vertx.vertx();
  final List<FunctionHost> hosts = new ArrayList<>();
  GatewayRig gateway;
  TestIssuer issuer;
  TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    issuer = TestIssuer.start(servers);
    backend = TestBackend.start(servers);
  }

  @AfterEach
  void stop() {
    hosts.forEach(FunctionHost::close);
    gateway.close();
    issuer.close();
    backend.close();
    GatewayRig.await(servers.close());
  }

  Instant now() {
    return gateway.authorizerClock.instant();
  }

  JWTClaimsSet.Builder claims() {
    return issuer.claims(now());
  }

  String token() {
    return issuer.token(claims().build());
  }

  static AuthorizerConfig jwtAuthorizer(String issuerUrl, String identitySource) {
    return AuthorizerConfig.jwt(
        AUTHORIZER,
        "users",
        identitySource,
        new JwtConfiguration(issuerUrl, List.of(TestIssuer.AUDIENCE, "other-api")));
  }

  static RouteConfig guarded(
      String method, String path, IntegrationConfig integration, String... scopes) {
    return guarded(method, path, false, integration, scopes);
  }

  static RouteConfig guarded(
      String method,
      String path,
      boolean keyRequired,
      IntegrationConfig integration,
      String... scopes) {
    return new RouteConfig(
        "r-" + method + path,
        method,
        path,
        keyRequired,
        integration,
        null,
        new RouteAuthorization(AUTHORIZER, List.of(scopes)));
  }

  static IntegrationConfig ok() {
    return Fixtures.mock(200, "{\"ok\":true}");
  }

  void deploy(List<AuthorizerConfig> authorizers, RouteConfig... routes) {
    deploy(authorizers, ApiKeySource.HEADER, Map.of(), routes);
  }

  void deploy(RouteConfig... routes) {
    deploy(List.of(jwtAuthorizer(issuer.issuer(), "$request.header.Authorization")), routes);
  }

  void deploy(
      List<AuthorizerConfig> authorizers,
      ApiKeySource keySource,
      Map<String, GatewayResponseConfig> responses,
      RouteConfig... routes) {
    gateway.load(
        List.of(
            Fixtures.snapshot("prod")
                .deploymentId("dep-1")
                .accessLogFields(List.of("requestId", "route", "status", "principalId"))
                .routes(List.of(routes))
                .gatewayResponses(responses)
                .authorizers(authorizers)
                .apiKeySource(keySource)
                .build()),
        List.of(Fixtures.key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
        List.of(Fixtures.plan("gold", null, null, "prod")));
  }

  GatewayRig.Response get(String token) throws Exception {
    return gateway.get(PATH, token == null ? Map.of() : Map.of("Authorization", token));
  }

  static void assertUnauthorized(GatewayRig.Response response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().encode()).isEqualTo("{\"message\":\"Unauthorized\"}");
    assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("UnauthorizedException");
  }

  List<UsageEvent> usage(int count) {
    Await.until(
        Duration.ofSeconds(10), () -> gateway.events.size() >= count, count + " usage events");
    return List.copyOf(gateway.events);
  }

  @Nested
  class Tokens {
    @BeforeEach
    void deployed() {
      deploy(guarded("GET", "/orders/{id}", ok()));
    }

    @Test
    void a_token_accepted_before_is_still_refused_once_it_expires() throws Exception {
      String token =
          issuer.token(claims().expirationTime(Date.from(now().plusSeconds(120))).build());
      assertThat(get(token).status()).isEqualTo(200);
      assertThat(get(token).status()).isEqualTo(200);

      // Past exp and the 60 s of skew: the remembered signature does not extend the token's life.
      gateway.authorizerClock.advance(Duration.ofSeconds(200));

      assertUnauthorized(get(token));
    }

    @Test
    void accepts_a_valid_rs256_token_with_or_without_the_bearer_prefix() throws Exception {
      String token = token();

      assertThat(get("Bearer " + token).status()).isEqualTo(200);
      assertThat(get(token).status()).isEqualTo(200);
      assertThat(get("bearer  " + token).status()).isEqualTo(200);
    }

    @Test
    void accepts_ps256_and_es256_signatures() throws Exception {
      assertThat(get(TestIssuer.sign(issuer.rsa, JWSAlgorithm.PS256, claims().build())).status())
          .isEqualTo(200);
      assertThat(get(TestIssuer.sign(issuer.ec, JWSAlgorithm.ES256, claims().build())).status())
          .isEqualTo(200);
    }

    @Test
    void refuses_a_missing_or_empty_token_without_calling_the_backend() throws Exception {
      assertUnauthorized(get(null));
      assertUnauthorized(get("Bearer "));
      assertUnauthorized(get("not.a.jwt"));

      assertThat(usage(3))
          .allSatisfy(
              event -> {
                assertThat(event.status()).isEqualTo(401);
                assertThat(event.outcome()).isEqualTo(Outcome.FORBIDDEN);
                assertThat(event.principalId()).isNull();
              });
    }

    @Test
    void refuses_an_unsigned_token() throws Exception {
      String header = b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}");
      String unsigned = header + "." + b64(claims().build().toString()) + ".";

      assertUnauthorized(get(unsigned));
      assertUnauthorized(get(unsigned.substring(0, unsigned.length() - 1)));
    }

    @Test
    void refuses_hs256_even_keyed_with_the_issuers_public_key() throws Exception {
      // The classic confusion: the public key, which anyone has, used as an HMAC secret.
      byte[] publicKey = issuer.rsa.toRSAPublicKey().getEncoded();
      SignedJWT hmac =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
      hmac.sign(new MACSigner(publicKey));

      assertUnauthorized(get(hmac.serialize()));
    }

    @Test
    void refuses_a_token_whose_claims_were_changed_after_signing() throws Exception {
      String[] parts = token().split("\\.");
      String forged =
          parts[0] + "." + b64(claims().subject("admin").build().toString()) + "." + parts[2];

      assertUnauthorized(get(forged));
    }

    @Test
    void refuses_a_token_signed_by_another_key_under_a_published_kid() throws Exception {
      RSAKey impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();

      assertUnauthorized(get(TestIssuer.sign(impostor, JWSAlgorithm.RS256, claims().build())));
    }

    @Test
    void refuses_expired_not_yet_valid_and_future_issued_tokens() throws Exception {
      Instant now = now();
      assertUnauthorized(
          get(issuer.token(claims().expirationTime(Date.from(now.minusSeconds(61))).build())));
      assertUnauthorized(
          get(issuer.token(claims().notBeforeTime(Date.from(now.plusSeconds(120))).build())));
      assertUnauthorized(
          get(issuer.token(claims().issueTime(Date.from(now.plusSeconds(120))).build())));
      assertUnauthorized(get(issuer.token(claims().expirationTime(null).build())));
      // Within the 60 s clock skew.
      assertThat(
              get(issuer.token(claims().expirationTime(Date.from(now.minusSeconds(30))).build()))
                  .status())
          .isEqualTo(200);
    }

    @Test
    void a_token_expires_as_the_clock_moves_on() throws Exception {
      String token =
          issuer.token(claims().expirationTime(Date.from(now().plusSeconds(10))).build());
      assertThat(get(token).status()).isEqualTo(200);

      gateway.authorizerClock.advance(Duration.ofSeconds(71));

      assertUnauthorized(get(token));
    }

    @Test
    void checks_the_issuer_and_the_audience_or_client_id() throws Exception {
      assertUnauthorized(get(issuer.token(claims().issuer(issuer.issuer() + "/other").build())));
      assertUnauthorized(get(issuer.token(claims().audience("someone-else").build())));
      assertThat(get(issuer.token(claims().audience(List.of("x", "other-api")).build())).status())
          .isEqualTo(200);
      JWTClaimsSet.Builder noAud = claims().audience((String) null);
      assertThat(get(issuer.token(noAud.claim("client_id", TestIssuer.AUDIENCE).build())).status())
          .isEqualTo(200);
      assertUnauthorized(get(issuer.token(noAud.claim("client_id", "unknown-client").build())));
    }
  }

  @Test
  void reads_the_token_from_the_identity_source_header() throws Exception {
    deploy(
        List.of(jwtAuthorizer(issuer.issuer(), "method.request.header.X-Token")),
        guarded("GET", "/orders/{id}", ok()));

    assertThat(gateway.get(PATH, Map.of("X-Token", token())).status()).isEqualTo(200);
    assertUnauthorized(gateway.get(PATH, Map.of("Authorization", "Bearer " + token())));
  }

  @Nested
  class Signing_keys {
    @Test
    void an_unknown_kid_refreshes_the_keys_once_then_is_refused() throws Exception {
      deploy(guarded("GET", "/orders/{id}", ok()));
      assertThat(get(token()).status()).isEqualTo(200);
      assertThat(issuer.jwksFetches.get()).isEqualTo(1);
      gateway.authorizerClock.advance(Duration.ofSeconds(11));
      RSAKey unpublished = new RSAKeyGenerator(2048).keyID("rsa-9").generate();
      String token = TestIssuer.sign(unpublished, JWSAlgorithm.RS256, claims().build());

      assertUnauthorized(get(token));
      assertThat(issuer.jwksFetches.get()).isEqualTo(2);
      assertUnauthorized(get(token));
      assertUnauthorized(get(token));
      assertThat(issuer.jwksFetches.get()).isEqualTo(2);
    }

    @Test
    void a_rotated_key_is_picked_up_on_its_first_token() throws Exception {
      deploy(guarded("GET", "/orders/{id}", ok()));
      assertThat(get(token()).status()).isEqualTo(200);
      RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
      issuer.publish(rotated);
      gateway.authorizerClock.advance(Duration.ofSeconds(11));

      assertThat(get(TestIssuer.sign(rotated, JWSAlgorithm.RS256, claims().build())).status())
          .isEqualTo(200);
    }

    @Test
    void concurrent_requests_with_an_unknown_kid_cause_one_fetch() throws Exception {
      deploy(guarded("GET", "/orders/{id}", ok()));
      issuer.hold();
      HttpClient client = HttpClient.newHttpClient();
      String token = token();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + PATH))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      Await.until(Duration.ofSeconds(10), () -> issuer.jwksFetches.get() == 1, "the key fetch");
      issuer.release();

      for (CompletableFuture<HttpResponse<String>> call : calls) {
        assertThat(call.get().statusCode()).isEqualTo(200);
      }
      assertThat(issuer.discoveryFetches.get()).isEqualTo(1);
      assertThat(issuer.jwksFetches.get()).isEqualTo(1);
    }

    @Test
    void an_unreachable_issuer_is_401_as_api_gateway_answers() throws Exception {
      String gone = issuer.issuer();
      issuer.close();
      deploy(
          List.of(jwtAuthorizer(gone, "$request.header.Authorization")),
          guarded("GET", "/orders/{id}", ok()));

      assertUnauthorized(get(issuer.token(claims().build())));
    }
  }

  @Nested
  class Scopes {
    @BeforeEach
    void deployed() {
      deploy(guarded("GET", "/orders/{id}", ok(), "orders:read", "orders:admin"));
    }

    @Test
    void passes_a_token_granting_one_required_scope_in_scope_or_scp() throws Exception {
      assertThat(get(issuer.token(claims().claim("scope", "profile orders:read").build())).status())
          .isEqualTo(200);
      assertThat(get(issuer.token(claims().claim("scp", List.of("orders:admin")).build())).status())
          .isEqualTo(200);
      assertThat(get(issuer.token(claims().claim("scp", "email orders:read").build())).status())
          .isEqualTo(200);
    }

    @Test
    void refuses_a_valid_token_without_one_with_403_forbidden() throws Exception {
      for (String token :
          List.of(token(), issuer.token(claims().claim("scope", "profile orders:write").build()))) {
        GatewayRig.Response response = get(token);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().encode()).isEqualTo("{\"message\":\"Forbidden\"}");
      }
    }
  }

  @Nested
  class Gateway_responses {
    @Test
    void an_owner_overrides_the_unauthorized_response() throws Exception {
      deploy(
          List.of(jwtAuthorizer(issuer.issuer(), "$request.header.Authorization")),
          ApiKeySource.HEADER,
          Map.of(
              "UNAUTHORIZED",
              new GatewayResponseConfig(
                  401,
                  Map.of("WWW-Authenticate", "Bearer realm=\"pets\""),
                  "{\"error\":\"login first\",\"detail\":$context.error.messageString}")),
          guarded("GET", "/orders/{id}", ok()));

      GatewayRig.Response response = get(null);

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"pets\"");
      assertThat(response.json())
          .isEqualTo(new JsonObject().put("error", "login first").put("detail", "Unauthorized"));
    }

    @Test
    void an_authorizer_the_gateway_cannot_run_answers_500_and_never_opens_the_route()
        throws Exception {
      AuthorizerConfig unknown =
          new AuthorizerConfig(
              AUTHORIZER,
              "from-a-newer-control-plane",
              AuthorizerType.UNKNOWN,
              List.of("method.request.header.Authorization"),
              null,
              null,
              backend.url(),
              1000,
              300,
              null,
              "1.0",
              false);
      deploy(
          List.of(unknown),
          guarded("GET", "/orders/{id}", Fixtures.proxy(backend.url())),
          new RouteConfig(
              "r-missing",
              "GET",
              "/missing",
              false,
              ok(),
              null,
              new RouteAuthorization("no-such-authorizer", List.of())));

      GatewayRig.Response unknownType = get(token());
      GatewayRig.Response missing = gateway.get("/acme/pets/prod/missing", Map.of());

      assertThat(unknownType.status()).isEqualTo(500);
      assertThat(unknownType.headers().get("x-amzn-ErrorType"))
          .isEqualTo("AuthorizerConfigurationException");
      assertThat(missing.status()).isEqualTo(500);
      assertThat(usage(2))
          .extracting(UsageEvent::outcome)
          .containsOnly(Outcome.CONFIGURATION_ERROR);
    }
  }

  @Nested
  class Misconfigured_jwt_authorizers {
    void assertConfigurationError(AuthorizerConfig authorizer) throws Exception {
      deploy(List.of(authorizer), guarded("GET", "/orders/{id}", ok()));

      GatewayRig.Response response = get("Bearer " + token());

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.headers().get("x-amzn-ErrorType"))
          .isEqualTo("AuthorizerConfigurationException");
    }

    @Test
    void an_identity_source_that_is_not_a_header_answers_500() throws Exception {
      assertConfigurationError(jwtAuthorizer(issuer.issuer(), "$request.querystring.token"));
    }

    @Test
    void an_issuer_that_is_not_an_http_url_answers_500() throws Exception {
      assertConfigurationError(jwtAuthorizer("file:///etc/keys", "$request.header.Authorization"));
    }

    @Test
    void an_authorizer_without_audiences_answers_500() throws Exception {
      assertConfigurationError(
          AuthorizerConfig.jwt(
              AUTHORIZER,
              "users",
              "$request.header.Authorization",
              new JwtConfiguration(issuer.issuer(), List.of())));
    }
  }

  @Nested
  class Api_keys {
    @Test
    void a_route_may_require_a_token_and_a_key() throws Exception {
      deploy(guarded("GET", "/orders/{id}", true, ok()));
      String token = "Bearer " + token();

      assertThat(gateway.get(PATH, Map.of("Authorization", token, "x-api-key", KEY)).status())
          .isEqualTo(200);
      assertThat(gateway.get(PATH, Map.of("Authorization", token)).status()).isEqualTo(403);
      assertUnauthorized(gateway.get(PATH, Map.of("x-api-key", KEY)));
      assertThat(usage(3).getFirst().keyId()).isEqualTo("key-1");
    }

    @Test
    void with_key_source_authorizer_the_header_key_is_not_used() throws Exception {
      // A JWT authorizer names no usage identifier: the key-required route cannot be passed.
      deploy(
          List.of(jwtAuthorizer(issuer.issuer(), "$request.header.Authorization")),
          ApiKeySource.AUTHORIZER,
          Map.of(),
          guarded("GET", "/orders/{id}", true, ok()));

      GatewayRig.Response response =
          gateway.get(PATH, Map.of("Authorization", "Bearer " + token(), "x-api-key", KEY));

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("ForbiddenException");
    }
  }

  @Nested
  class Identity_at_the_backend {
    @Test
    void claims_reach_the_backend_through_parameter_mappings() throws Exception {
      deploy(
          guarded(
              "GET",
              "/orders/{id}",
              Fixtures.http(
                  "GET",
                  backend.url() + "/echo",
                  Map.of(
                      "integration.request.header.x-user", "context.authorizer.claims.sub",
                      "integration.request.header.x-principal", "context.authorizer.principalId",
                      "integration.request.header.x-email", "$context.authorizer.claims.email",
                      "integration.request.header.x-groups", "context.authorizer.claims.groups",
                      "integration.request.querystring.tenant",
                          "context.authorizer.claims.tenant"))));

      GatewayRig.Response response =
          get(
              issuer.token(
                  claims()
                      .claim("email", "ann@example.com")
                      .claim("groups", List.of("admins", "ops"))
                      .claim("tenant", "north")
                      .build()));

      assertThat(response.status()).isEqualTo(200);
      JsonObject headers = response.json().getJsonObject("headers");
      assertThat(headers.getString("x-user")).isEqualTo("user-7");
      assertThat(headers.getString("x-principal")).isEqualTo("user-7");
      assertThat(headers.getString("x-email")).isEqualTo("ann@example.com");
      assertThat(headers.getString("x-groups")).isEqualTo("[admins ops]");
      assertThat(response.json().getString("query")).isEqualTo("tenant=north");
    }

    @Test
    void the_rest_function_event_carries_the_claims_and_the_principal() throws Exception {
      AtomicReference<APIGatewayProxyRequestEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          FunctionHost.serving(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> {
                seen.set(event);
                return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("x");
              });
      hosts.add(fn);
      deploy(guarded("GET", "/orders/{id}", function(fn.invokeUrl(), "1.0")));

      assertThat(get(issuer.token(claims().claim("scope", "a b").build())).status()).isEqualTo(200);

      Map<String, Object> authorizer = seen.get().getRequestContext().getAuthorizer();
      assertThat(authorizer).containsEntry("principalId", "user-7");
      assertThat(authorizer.get("claims")).isInstanceOf(Map.class);
      Map<?, ?> claims = (Map<?, ?>) authorizer.get("claims");
      assertThat(claims.get("sub")).isEqualTo("user-7");
      assertThat(claims.get("iss")).isEqualTo(issuer.issuer());
      assertThat(claims.get("scope")).isEqualTo("a b");
      assertThat(authorizer.get("scopes")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void the_http_api_function_event_carries_jwt_claims_and_scopes() throws Exception {
      AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          FunctionHost.serving(
              APIGatewayV2HTTPEvent.class,
              APIGatewayV2HTTPResponse.class,
              (event, context) -> {
                seen.set(event);
                return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("x").build();
              });
      hosts.add(fn);
      deploy(guarded("GET", "/orders/{id}", function(fn.invokeUrl(), "2.0")));
      long exp = now().plusSeconds(3600).getEpochSecond();

      assertThat(
              get(issuer.token(
                      claims()
                          .expirationTime(Date.from(Instant.ofEpochSecond(exp)))
                          .claim("scp", List.of("orders:read"))
                          .build()))
                  .status())
          .isEqualTo(200);

      var jwt = seen.get().getRequestContext().getAuthorizer().getJwt();
      assertThat(jwt.getClaims())
          .containsEntry("sub", "user-7")
          .containsEntry("aud", TestIssuer.AUDIENCE)
          .containsEntry("exp", Long.toString(exp));
      assertThat(jwt.getScopes()).containsExactly("orders:read");
    }

    @Test
    void the_usage_event_and_the_access_log_carry_the_principal() throws Exception {
      deploy(guarded("GET", "/orders/{id}", ok()));

      assertThat(get(token()).status()).isEqualTo(200);

      UsageEvent event = usage(1).getFirst();
      assertThat(event.principalId()).isEqualTo("user-7");
      assertThat(event.outcome()).isEqualTo(Outcome.SERVED);
      Await.until(
          Duration.ofSeconds(10),
          () -> gateway.accessLogOut.toString().contains("\"principalId\":\"user-7\""),
          "the access log line with the principal");
    }
  }

  static IntegrationConfig function(String invokeUrl, String payloadFormat) {
    return IntegrationConfig.awsProxy(
        new FunctionTarget("orders", invokeUrl, 0, payloadFormat), 29_000);
  }

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
