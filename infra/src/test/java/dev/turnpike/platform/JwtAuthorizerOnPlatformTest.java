package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.platform.demo.DemoSeed;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real tokens from the platform's own Keycloak through a JWT authorizer, on the platform as {@code
 * ./turnpike up} starts it: the demo service client's client-credentials token passes the demo
 * API's {@value DemoSeed#JWT_PATH}, which the gateway checks against the realm's keys, fetched
 * through the demo tenant's grant of Keycloak's listener; no token or a tampered one is 401. The
 * grant is the demo tenant's alone: another tenant's authorizer naming the same issuer gets no
 * keys.
 */
@Tag("platform")
class JwtAuthorizerOnPlatformTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Duration PROPAGATION = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void a_client_credentials_token_from_the_platforms_keycloak_passes_the_demo_jwt_authorizer(
      @TempDir Path state) throws Exception {
    Map<String, String> env = new HashMap<>(LaunchedPlatform.freePorts());
    env.put("TURNPIKE_PLATFORM_DIR", state.toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    String gateway = "http://localhost:" + env.get("TURNPIKE_GATEWAY_PORT");
    String whoami = gateway + "/demo/hello/prod" + DemoSeed.JWT_PATH;
    PlatformSettings settings = PlatformSettings.fromEnvironment(env, ROOT);
    String tokenEndpoint = settings.keycloak().tokenEndpoint();

    try (LaunchedPlatform platform =
        LaunchedPlatform.start(ROOT, env, state.resolve("platform.out"))) {
      String secret = Files.readString(state.resolve("demo-service-client-secret")).strip();
      String token =
          token(
              tokenEndpoint,
              Map.of(
                  "grant_type",
                  "client_credentials",
                  "client_id",
                  LocalRealm.DEMO_SERVICE,
                  "client_secret",
                  secret));
      JsonNode claims = claims(token);
      assertThat(claims.path("iss").asText()).isEqualTo(settings.keycloak().issuer());
      assertThat(claims.path("aud").toString()).contains(LocalRealm.DEMO_AUDIENCE);

      // The launcher waited for the demo to answer through the gateway, so the route is there.
      HttpResponse<String> passed = get(whoami, "Bearer " + token);
      assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
      JsonNode echoed = JSON.readTree(passed.body());
      assertThat(echoed.path("path").asText()).isEqualTo("/echo");
      assertThat(echoed.path("headers").path(DemoSeed.CALLER_HEADER).asText())
          .isEqualTo(LocalRealm.DEMO_SERVICE);

      HttpResponse<String> none = get(whoami, null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).isEqualTo(UNAUTHORIZED);
      HttpResponse<String> tampered = get(whoami, "Bearer " + withClaim(token, "azp", "admin"));
      assertThat(tampered.statusCode()).isEqualTo(401);
      assertThat(tampered.body()).isEqualTo(UNAUTHORIZED);
      String demoKey = Files.readString(state.resolve("demo-api-key.txt")).strip();
      HttpResponse<String> keyOnly = get(whoami, null, demoKey);
      assertThat(keyOnly.statusCode()).as("a key is no token").isEqualTo(401);

      assertThat(platform.output())
          .contains("may reach Keycloak at 127.0.0.1:" + settings.keycloak().port())
          .contains(whoami)
          .contains("client_id=" + LocalRealm.DEMO_SERVICE);

      anotherTenantGetsNoKeysFromTheSameIssuer(env, settings, token, state);
    }
  }

  /**
   * A tenant the operator did not grant Keycloak's listener states the same issuer: its route
   * answers 401 to the very token that passes the demo's, and the gateway says why.
   */
  void anotherTenantGetsNoKeysFromTheSameIssuer(
      Map<String, String> env, PlatformSettings settings, String token, Path state)
      throws Exception {
    String owner =
        token(
            settings.keycloak().tokenEndpoint(),
            Map.of(
                "grant_type", "password",
                "client_id", DemoSeed.CLI_CLIENT,
                "username", DemoSeed.OWNER,
                "password", DemoSeed.OWNER_PASSWORD,
                "scope", "openid"));
    ApiClient api = new ApiClient(Integer.parseInt(env.get("TURNPIKE_CP_PORT")));
    Fixture fx = new Fixture(api, owner);
    String slug = "globex-" + UUID.randomUUID().toString().substring(0, 6);
    String tenant =
        fx.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "Globex"))
            .getString("id");
    String apiId =
        fx.created(
                "/v1/tenants/" + tenant + "/apis",
                new JsonObject().put("slug", "hello").put("name", "Hello"))
            .getString("id");
    String apiBase = "/v1/tenants/" + tenant + "/apis/" + apiId;
    ApiClient.Answer authorizer =
        api.put(
            owner,
            apiBase + "/authorizers/keycloak",
            new JsonObject()
                .put("type", "jwt")
                .put(
                    "jwt",
                    new JsonObject()
                        .put("issuer", settings.keycloak().issuer())
                        .put("audience", new JsonArray().add(LocalRealm.DEMO_AUDIENCE))));
    assertThat(authorizer.status()).as(authorizer.toString()).isEqualTo(200);
    String integration =
        fx.created(
                apiBase + "/integrations",
                new JsonObject()
                    .put("type", "http_proxy")
                    .put("httpMethod", "GET")
                    .put(
                        "uri",
                        "http://127.0.0.1:" + env.get("TURNPIKE_DEMO_BACKEND_PORT") + "/echo")
                    .put("timeoutMillis", 5000))
            .getString("id");
    fx.created(
        apiBase + "/routes",
        new JsonObject()
            .put("method", "GET")
            .put("resourcePath", "/whoami")
            .put("apiKeyRequired", false)
            .put("integrationId", integration)
            .put("authorizer", "keycloak"));
    fx.deploy(tenant, apiId, fx.stage(tenant, apiId, "prod"));

    String url =
        "http://localhost:" + env.get("TURNPIKE_GATEWAY_PORT") + "/" + slug + "/hello/prod/whoami";
    // Before the deployment arrives the gateway knows no such API (403 or 404); then the
    // authorizer refuses the token, having no keys to check it with.
    Await.until(
        PROPAGATION,
        () -> get(url, "Bearer " + token).statusCode() == 401,
        "the other tenant's route answers through the gateway");
    HttpResponse<String> refused = get(url, "Bearer " + token);
    assertThat(refused.body()).isEqualTo(UNAUTHORIZED);
    Path gatewayLog = state.resolve("logs").resolve("data-plane.log");
    Await.until(
        Duration.ofSeconds(10),
        () ->
            lines(gatewayLog).stream()
                .anyMatch(
                    line ->
                        line.contains("no signing keys from issuer")
                            && line.contains(tenant)
                            && line.contains("a listener of the platform itself")),
        "the gateway to log why the other tenant has no keys");
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  String token(String tokenEndpoint, Map<String, String> fields) throws Exception {
    String form =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("access_token").asText();
  }

  static JsonNode claims(String token) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  /** The token with one claim changed and the signature left as Keycloak made it. */
  static String withClaim(String token, String name, String value) throws Exception {
    String[] parts = token.split("\\.");
    ObjectNode claims = (ObjectNode) claims(token);
    claims.put(name, value);
    String payload =
        Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims));
    return parts[0] + "." + payload + "." + parts[2];
  }

  HttpResponse<String> get(String url, String authorization) {
    return get(url, authorization, null);
  }

  HttpResponse<String> get(String url, String authorization, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (key != null) {
      request.header("x-api-key", key);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("calling " + url + ": " + e, e);
    }
  }
}
