package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.testkit.Await;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CORS on a real gateway: the preflight answered at the edge (no route, key or throttle), and the
 * configured headers on every answer of the API, proxied and gateway errors alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCorsTest {
  static final String APP = "https://app.example.com";
  static final String EVIL = "https://evil.example";
  static final CorsConfiguration CORS =
      new CorsConfiguration(
          List.of(APP),
          List.of("GET", "POST", "PUT"),
          List.of("content-type", "x-api-key"),
          List.of("x-backend"),
          300,
          true);

  GatewayRig gateway;
  TestBackend backend;
  HttpServer corsBackend;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend = TestBackend.start(gateway.vertx);
    // A backend with CORS headers of its own, which the API's configuration must replace.
    corsBackend =
        GatewayRig.await(
            gateway
                .vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .response()
                            .putHeader("access-control-allow-origin", "*")
                            .putHeader("access-control-allow-credentials", "false")
                            .putHeader("access-control-expose-headers", "x-secret")
                            .putHeader("vary", "Accept-Encoding")
                            .end("{}"))
                .listen(0, "127.0.0.1"));
    String corsBackendUrl = "http://127.0.0.1:" + corsBackend.actualPort();
    List<dev.turnpike.contracts.config.RouteConfig> routes =
        List.of(
            route("GET", "/pets", false, Fixtures.proxy(backend.url() + "/pets")),
            route("GET", "/own-cors", false, Fixtures.proxy(corsBackendUrl + "/x")),
            route("GET", "/private", true, Fixtures.mock(200, "{}")),
            route("ANY", "/any", false, Fixtures.mock(200, "{\"any\":true}")),
            route(
                "OPTIONS",
                "/explicit",
                false,
                new IntegrationConfig(
                    IntegrationType.MOCK,
                    null,
                    null,
                    0,
                    0,
                    null,
                    new MockResponse(200, Map.of("x-own-options", "yes"), "{\"own\":true}"))),
            route("GET", "/down", false, Fixtures.proxy("http://127.0.0.1:1/")));
    DeploymentSnapshot prod =
        Fixtures.deployment("prod", routes).toBuilder().edge(edge(CORS)).build();
    DeploymentSnapshot limited =
        Fixtures.deployment(
                "limited",
                routes,
                Map.of(),
                new ThrottleLimit(0.001, 1),
                Map.of(),
                Map.of(
                    "MISSING_AUTHENTICATION_TOKEN",
                    new GatewayResponseConfig(
                        404,
                        Map.of("access-control-allow-origin", "*"),
                        null,
                        Map.of("gatewayresponse.header.x-stage", "context.stage"),
                        Map.of("application/json", "{\"stage\": \"$context.stage\"}"))))
            .toBuilder()
            .edge(edge(CORS))
            .build();
    DeploymentSnapshot plain = Fixtures.deployment("plain", routes);
    gateway.load(List.of(prod, limited, plain), List.of(), List.of());
  }

  static EdgeConfig edge(CorsConfiguration cors) {
    return new EdgeConfig(cors, null, null);
  }

  @AfterAll
  void stop() {
    GatewayRig.await(corsBackend.close());
    backend.close();
    gateway.close();
  }

  GatewayRig.Response preflight(String stage, String path, String origin) throws Exception {
    return preflight(stage, path, origin, Map.of());
  }

  GatewayRig.Response preflight(String stage, String path, String origin, Map<String, String> more)
      throws Exception {
    Map<String, String> headers = new HashMap<>(more);
    headers.put("Origin", origin);
    headers.put("Access-Control-Request-Method", "PUT");
    headers.put("Access-Control-Request-Headers", "content-type,x-api-key");
    return gateway.call(HttpMethod.OPTIONS, "/acme/pets/" + stage + path, headers, null);
  }

  GatewayRig.Response get(String stage, String path, String origin) throws Exception {
    return gateway.get("/acme/pets/" + stage + path, Map.of("Origin", origin));
  }

  static void assertCorsFor(GatewayRig.Response response, String origin) {
    assertThat(response.headers().getAll("access-control-allow-origin")).containsExactly(origin);
    assertThat(response.headers().get("access-control-allow-credentials")).isEqualTo("true");
    assertThat(response.headers().getAll("access-control-expose-headers"))
        .containsExactly("x-backend");
    assertThat(String.join(",", response.headers().getAll("vary"))).contains("Origin");
  }

  static void assertNoCors(GatewayRig.Response response) {
    response
        .headers()
        .names()
        .forEach(name -> assertThat(name.toLowerCase()).doesNotStartWith("access-control-"));
  }

  /** Waits for a later call's usage event, so every earlier exchange has finished too. */
  void settle() throws Exception {
    GatewayRig.Response marker = gateway.get("/acme/pets/prod/pets", Map.of());
    String id = marker.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER);
    Await.until(
        Duration.ofSeconds(10),
        () -> gateway.events.stream().anyMatch(e -> e.eventId().toString().equals(id)),
        "the marker call's usage event");
  }

  boolean metered(GatewayRig.Response response) {
    UUID id = UUID.fromString(response.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER));
    return gateway.events.stream().map(UsageEvent::eventId).anyMatch(id::equals);
  }

  @Nested
  class Preflight {
    @Test
    void is_answered_by_the_gateway_without_a_route() throws Exception {
      GatewayRig.Response response = preflight("prod", "/pets", APP);
      assertThat(response.status()).isEqualTo(204);
      assertThat(response.headers().get("access-control-allow-origin")).isEqualTo(APP);
      assertThat(response.headers().get("access-control-allow-methods")).isEqualTo("GET,POST,PUT");
      assertThat(response.headers().get("access-control-allow-headers"))
          .isEqualTo("content-type,x-api-key");
      assertThat(response.headers().get("access-control-max-age")).isEqualTo("300");
      assertThat(response.headers().get("access-control-allow-credentials")).isEqualTo("true");
      assertThat(response.headers().get("vary")).isEqualTo("Origin");
      assertThat(response.body()).isEmpty();
      // The route's backend never saw it: the echo backend would have answered with x-backend.
      assertThat(response.headers().get("x-backend")).isNull();
    }

    @Test
    void needs_no_key_on_a_key_required_route_nor_any_route_at_all() throws Exception {
      assertThat(preflight("prod", "/private", APP).status()).isEqualTo(204);
      assertThat(preflight("prod", "/nowhere/at/all", APP).status()).isEqualTo(204);
    }

    @Test
    void is_not_metered_as_a_call() throws Exception {
      GatewayRig.Response response = preflight("prod", "/private", APP);
      GatewayRig.Response call = get("prod", "/pets", APP);
      settle();
      assertThat(metered(call)).isTrue();
      assertThat(metered(response)).isFalse();
    }

    @Test
    void is_not_throttled() throws Exception {
      for (int i = 0; i < 20; i++) {
        assertThat(preflight("limited", "/pets", APP).status()).isEqualTo(204);
      }
    }

    @Test
    void from_an_origin_not_allowed_gets_no_cors_headers() throws Exception {
      GatewayRig.Response response = preflight("prod", "/pets", EVIL);
      assertThat(response.status()).isEqualTo(204);
      assertNoCors(response);
    }

    @Test
    void goes_to_an_explicit_options_route() throws Exception {
      GatewayRig.Response response = preflight("prod", "/explicit", APP);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("x-own-options")).isEqualTo("yes");
      assertThat(response.body()).isEqualTo("{\"own\":true}");
      // The route's answer is one of the API's: it carries the API's headers, not preflight ones.
      assertCorsFor(response, APP);
      assertThat(response.headers().get("access-control-allow-methods")).isNull();
    }

    @Test
    void is_the_gateways_even_where_an_any_route_matches() throws Exception {
      GatewayRig.Response response = preflight("prod", "/any", APP);
      assertThat(response.status()).isEqualTo(204);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().get("access-control-allow-methods")).isEqualTo("GET,POST,PUT");
    }

    @Test
    void a_plain_options_call_without_origin_is_routed_as_usual() throws Exception {
      GatewayRig.Response response =
          gateway.call(HttpMethod.OPTIONS, "/acme/pets/prod/any", Map.of(), null);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"any\":true}");
    }

    @Test
    void on_a_stage_without_cors_is_refused_as_any_unknown_route() throws Exception {
      GatewayRig.Response response = preflight("plain", "/pets", APP);
      assertThat(response.status()).isEqualTo(403);
      assertNoCors(response);
      assertThat(response.headers().get("vary")).isNull();
    }
  }

  @Nested
  class ActualResponses {
    @Test
    void a_proxied_answer_carries_the_headers() throws Exception {
      GatewayRig.Response response = get("prod", "/pets", APP);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("x-backend")).isEqualTo("echo");
      assertCorsFor(response, APP);
    }

    @Test
    void the_backends_own_cors_headers_are_replaced_not_doubled() throws Exception {
      GatewayRig.Response response = get("prod", "/own-cors", APP);
      assertThat(response.status()).isEqualTo(200);
      assertCorsFor(response, APP);
      assertThat(response.headers().getAll("vary")).containsExactly("Accept-Encoding, Origin");
    }

    @Test
    void a_foreign_origin_does_not_get_the_backends_wildcard_either() throws Exception {
      GatewayRig.Response response = get("prod", "/own-cors", EVIL);
      assertThat(response.status()).isEqualTo(200);
      assertNoCors(response);
    }

    @Test
    void a_missing_key_403_carries_the_headers() throws Exception {
      GatewayRig.Response response = get("prod", "/private", APP);
      assertThat(response.status()).isEqualTo(403);
      assertCorsFor(response, APP);
    }

    @Test
    void an_unknown_route_403_carries_the_headers() throws Exception {
      GatewayRig.Response response = get("prod", "/nowhere", APP);
      assertThat(response.status()).isEqualTo(403);
      assertCorsFor(response, APP);
    }

    @Test
    void a_throttled_429_carries_the_headers() throws Exception {
      GatewayRig.Response last = null;
      for (int i = 0; i < 5 && (last == null || last.status() != 429); i++) {
        last = get("limited", "/pets", APP);
      }
      assertThat(last.status()).isEqualTo(429);
      assertCorsFor(last, APP);
    }

    @Test
    void an_unreachable_backend_502_carries_the_headers() throws Exception {
      GatewayRig.Response response = get("prod", "/down", APP);
      assertThat(response.status()).isBetween(500, 504);
      assertCorsFor(response, APP);
    }

    @Test
    void a_templated_gateway_response_carries_the_configured_headers_not_its_own()
        throws Exception {
      GatewayRig.Response response = get("limited", "/nowhere", EVIL);
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.headers().get("x-stage")).isEqualTo("limited");
      assertNoCors(response);

      GatewayRig.Response allowed = get("limited", "/nowhere", APP);
      assertThat(allowed.status()).isEqualTo(404);
      assertThat(allowed.json().getString("stage")).isEqualTo("limited");
      assertCorsFor(allowed, APP);
    }

    @Test
    void an_origin_not_allowed_gets_no_cors_headers() throws Exception {
      GatewayRig.Response response = get("prod", "/pets", EVIL);
      assertThat(response.status()).isEqualTo(200);
      assertNoCors(response);
      assertThat(response.headers().get("vary")).isEqualTo("Origin");
    }

    @Test
    void a_stage_without_cors_adds_nothing() throws Exception {
      GatewayRig.Response response = get("plain", "/pets", APP);
      assertThat(response.status()).isEqualTo(200);
      assertNoCors(response);
      assertThat(response.headers().get("vary")).isNull();
    }
  }
}
