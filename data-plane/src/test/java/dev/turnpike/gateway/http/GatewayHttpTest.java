package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.dailyQuota;
import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.http;
import static dev.turnpike.gateway.http.Fixtures.key;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.plan;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayHttpTest {
  static final String KEY = "tpk_valid0000000000000000000000000000000";
  static final String REVOKED_KEY = "tpk_revoked000000000000000000000000000000";
  static final String FOREIGN_KEY = "tpk_foreign000000000000000000000000000000";
  static final String PLANLESS_KEY = "tpk_planless00000000000000000000000000000";
  static final long MAX_BODY = 6 * 1024 * 1024;

  static final JsonNode PET_SCHEMA;

  static {
    try {
      PET_SCHEMA =
          new ObjectMapper()
              .readTree(
                  """
                  {"type": "object", "required": ["name"],
                   "properties": {"name": {"type": "string", "minLength": 1},
                                  "age": {"type": "integer", "minimum": 0}}}
                  """);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  GatewayRig gateway;
  TestBackend backend;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().maxBodyBytes(MAX_BODY).start();
    backend = TestBackend.start(gateway.vertx);
  }

  @AfterAll
  void stop() throws Exception {
    backend.close();
    gateway.close();
  }

  @BeforeEach
  void loadDefaultApi() {
    loadApi(null, null, Map.of(), Map.of());
    gateway.events.clear();
  }

  /** Each load gets a fresh plan id, so throttle and quota counts start over per test. */
  int loads;

  void loadApi(
      ThrottleLimit planThrottle,
      Long quota,
      Map<String, ThrottleLimit> stageMethodThrottles,
      Map<String, GatewayResponseConfig> responses) {
    var routes =
        List.of(
            route("GET", "/pets", false, mock(200, "[{\"id\":1}]")),
            route("GET", "/pets/{petId}", true, proxy(backend.url() + "/backend/pets/{petId}")),
            route("ANY", "/open/{proxy+}", false, proxy(backend.url() + "/{proxy}")),
            route("POST", "/upload", false, proxy(backend.url() + "/upload")),
            route("GET", "/slow", false, proxy(backend.url() + "/slow", 300)),
            route("GET", "/down", false, proxy("http://127.0.0.1:" + closedPort() + "/")),
            route("GET", "/bytes/{n}", false, proxy(backend.url() + "/bytes/{n}")),
            new RouteConfig(
                "r-search",
                "GET",
                "/search",
                false,
                proxy(backend.url() + "/search"),
                new RequestValidation(
                    List.of("method.request.querystring.q", "method.request.header.x-tenant"),
                    null)),
            new RouteConfig(
                "r-validated",
                "POST",
                "/validated/{id}",
                false,
                proxy(backend.url() + "/validated/{id}"),
                new RequestValidation(List.of("method.request.path.id"), PET_SCHEMA)),
            route(
                "GET",
                "/mapped/{id}",
                false,
                http(
                    "POST",
                    "${stageVariables.backend}/items/{item}",
                    Map.of(
                        "integration.request.path.item", "method.request.path.id",
                        "integration.request.header.x-user", "method.request.querystring.user",
                        "integration.request.querystring.source", "'gateway'"))));
    String gold = "gold-" + ++loads;
    gateway.load(
        List.of(
            deployment(
                "prod",
                routes,
                Map.of("backend", backend.url()),
                null,
                stageMethodThrottles,
                responses)),
        List.of(
            key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of(gold)),
            key(REVOKED_KEY, "key-2", Fixtures.TENANT_ID, KeyStatus.REVOKED, List.of(gold)),
            key(FOREIGN_KEY, "key-3", Fixtures.OTHER_TENANT_ID, KeyStatus.ENABLED, List.of(gold)),
            key(PLANLESS_KEY, "key-4", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("bronze"))),
        List.of(
            plan(gold, planThrottle, quota == null ? null : dailyQuota(quota), "prod"),
            plan("bronze", null, null, "test")));
  }

  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  GatewayRig.Response get(String path) throws Exception {
    return gateway.get(path, Map.of());
  }

  GatewayRig.Response getWithKey(String path, String key) throws Exception {
    return gateway.get(path, Map.of("x-api-key", key));
  }

  @Nested
  class Routing {
    @Test
    void path_style_address_reaches_the_route() throws Exception {
      var response = get("/acme/pets/prod/pets");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("[{\"id\":1}]");
      assertThat(response.headers().get("x-mock")).isEqualTo("yes");
    }

    @Test
    void host_style_address_reaches_the_route() throws Exception {
      var response =
          gateway.call(
              HttpMethod.GET, "/prod/pets", Map.of("host", "pets.acme." + GatewayRig.DOMAIN), null);
      assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void unknown_path_gets_403_missing_authentication_token() throws Exception {
      var response = get("/acme/pets/prod/nowhere");
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.json().getString("message")).isEqualTo("Missing Authentication Token");
      assertThat(response.headers().get("x-amzn-ErrorType"))
          .isEqualTo("MissingAuthenticationTokenException");
      assertThat(response.headers().get("content-type")).isEqualTo("application/json");
      assertThat(response.headers().get("x-amzn-RequestId")).matches("[0-9a-f-]{36}");
    }

    @Test
    void undeclared_method_gets_403_missing_authentication_token() throws Exception {
      var response = gateway.call(HttpMethod.DELETE, "/acme/pets/prod/pets", Map.of(), null);
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.json().getString("message")).isEqualTo("Missing Authentication Token");
    }

    @Test
    void unknown_stage_gets_403_forbidden() throws Exception {
      var response = get("/acme/pets/staging/pets");
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.json().getString("message")).isEqualTo("Forbidden");
    }

    @Test
    void malformed_percent_encoding_in_a_parameter_gets_400_not_500() throws Exception {
      int status =
          gateway.rawStatus(
              "GET /acme/pets/prod/pets/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nx-api-key: "
                  + KEY
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(status).isEqualTo(400);
    }

    @Test
    void h2c_with_prior_knowledge_is_served() throws Exception {
      var client =
          gateway.newClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false));
      var response =
          GatewayRig.call(
              client, new RequestOptions().setURI("/acme/pets/prod/pets"), Map.of(), null);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("[{\"id\":1}]");
    }
  }

  @Nested
  class ApiKeys {
    @Test
    void key_required_route_without_key_gets_403_forbidden() throws Exception {
      var response = get("/acme/pets/prod/pets/42");
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.json().getString("message")).isEqualTo("Forbidden");
      assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("ForbiddenException");
    }

    @Test
    void unknown_revoked_foreign_and_planless_keys_get_403() throws Exception {
      for (String key : List.of("tpk_unknown", REVOKED_KEY, FOREIGN_KEY, PLANLESS_KEY)) {
        assertThat(getWithKey("/acme/pets/prod/pets/42", key).status()).as(key).isEqualTo(403);
      }
    }

    @Test
    void valid_key_in_a_plan_for_the_stage_reaches_the_backend() throws Exception {
      var response = getWithKey("/acme/pets/prod/pets/42", KEY);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("path")).isEqualTo("/backend/pets/42");
    }
  }

  @Nested
  class Throttling {
    @Test
    void plan_throttle_answers_429_too_many_requests_past_the_burst() throws Exception {
      loadApi(new ThrottleLimit(0.001, 2), null, Map.of(), Map.of());
      assertThat(getWithKey("/acme/pets/prod/pets/1", KEY).status()).isEqualTo(200);
      assertThat(getWithKey("/acme/pets/prod/pets/1", KEY).status()).isEqualTo(200);
      var throttled = getWithKey("/acme/pets/prod/pets/1", KEY);
      assertThat(throttled.status()).isEqualTo(429);
      assertThat(throttled.json().getString("message")).isEqualTo("Too Many Requests");
      assertThat(throttled.headers().get("x-amzn-ErrorType")).isEqualTo("TooManyRequestsException");
    }

    @Test
    void stage_method_throttle_limits_routes_without_keys() throws Exception {
      loadApi(null, null, Map.of("/pets/GET", new ThrottleLimit(0.001, 1)), Map.of());
      assertThat(get("/acme/pets/prod/pets").status()).isEqualTo(200);
      assertThat(get("/acme/pets/prod/pets").status()).isEqualTo(429);
    }

    @Test
    void owner_override_changes_the_throttled_response() throws Exception {
      loadApi(
          null,
          null,
          Map.of("/pets/GET", new ThrottleLimit(0.001, 1)),
          Map.of(
              "THROTTLED",
              new GatewayResponseConfig(
                  503, Map.of("retry-after", "60"), "{\"error\":$context.error.messageString}")));
      get("/acme/pets/prod/pets");
      var response = get("/acme/pets/prod/pets");
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.headers().get("retry-after")).isEqualTo("60");
      assertThat(response.body()).isEqualTo("{\"error\":\"Too Many Requests\"}");
    }
  }

  @Nested
  class Quotas {
    @Test
    void key_over_its_quota_gets_429_limit_exceeded() throws Exception {
      loadApi(null, 3L, Map.of(), Map.of());
      for (int i = 0; i < 3; i++) {
        assertThat(getWithKey("/acme/pets/prod/pets/1", KEY).status()).isEqualTo(200);
      }
      var response = getWithKey("/acme/pets/prod/pets/1", KEY);
      assertThat(response.status()).isEqualTo(429);
      assertThat(response.json().getString("message")).isEqualTo("Limit Exceeded");
      assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("LimitExceededException");
    }
  }

  @Nested
  class Integrations {
    @Test
    void proxy_forwards_method_query_and_headers_and_adds_forwarding_headers() throws Exception {
      var response =
          gateway.call(
              HttpMethod.PUT,
              "/acme/pets/prod/open/a/b%20c?x=1&y=2",
              Map.of(
                  "x-custom",
                  "kept",
                  "connection",
                  "keep-alive, x-private",
                  "x-private",
                  "dropped",
                  "x-forwarded-for",
                  "10.0.0.1"),
              Buffer.buffer("hello"));
      assertThat(response.status()).isEqualTo(200);
      var echo = response.json();
      assertThat(echo.getString("method")).isEqualTo("PUT");
      assertThat(echo.getString("path")).isEqualTo("/a/b%20c");
      assertThat(echo.getString("query")).isEqualTo("x=1&y=2");
      assertThat(echo.getInteger("bodyBytes")).isEqualTo(5);
      var headers = echo.getJsonObject("headers");
      assertThat(headers.getString("x-custom")).isEqualTo("kept");
      assertThat(headers.containsKey("x-private")).isFalse();
      // The client is no trusted proxy: what it says about itself is replaced.
      assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
      assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
      assertThat(headers.getString("x-forwarded-host")).startsWith("127.0.0.1");
      assertThat(response.headers().get("x-backend")).isEqualTo("echo");
    }

    @Test
    void http_integration_maps_parameters_and_stage_variables() throws Exception {
      var response = get("/acme/pets/prod/mapped/7?user=ann&ignored=1");
      assertThat(response.status()).isEqualTo(200);
      var echo = response.json();
      assertThat(echo.getString("method")).isEqualTo("POST");
      assertThat(echo.getString("path")).isEqualTo("/items/7");
      assertThat(echo.getString("query")).isEqualTo("source=gateway");
      assertThat(echo.getJsonObject("headers").getString("x-user")).isEqualTo("ann");
    }

    @Test
    void backend_timeout_gets_504_endpoint_request_timed_out() throws Exception {
      var response = get("/acme/pets/prod/slow");
      assertThat(response.status()).isEqualTo(504);
      assertThat(response.json().getString("message")).isEqualTo("Endpoint request timed out");
    }

    @Test
    void unreachable_backend_gets_504_network_error() throws Exception {
      var response = get("/acme/pets/prod/down");
      assertThat(response.status()).isEqualTo(504);
      assertThat(response.json().getString("message"))
          .isEqualTo("Network error communicating with endpoint");
    }

    @Test
    void large_bodies_stream_through_both_ways() throws Exception {
      var upload =
          gateway.call(
              HttpMethod.POST,
              "/acme/pets/prod/upload",
              Map.of(),
              Buffer.buffer(new byte[5 * 1024 * 1024]));
      assertThat(upload.status()).isEqualTo(200);
      assertThat(upload.json().getInteger("bodyBytes")).isEqualTo(5 * 1024 * 1024);
      var download = get("/acme/pets/prod/bytes/3000000");
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.body().length()).isEqualTo(3_000_000);
    }

    @Test
    void a_client_hanging_up_mid_body_leaves_the_gateway_serving() throws Exception {
      try (var socket = new java.net.Socket("127.0.0.1", gateway.port())) {
        socket
            .getOutputStream()
            .write(
                "GET /acme/pets/prod/bytes/20000000 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(socket.getInputStream().readNBytes(64 * 1024)).hasSize(64 * 1024);
      }
      assertThat(get("/acme/pets/prod/pets").status()).isEqualTo(200);
      assertThat(get("/acme/pets/prod/bytes/1000").body()).hasSize(1000);
    }
  }

  @Nested
  class RequestValidators {
    @Test
    void missing_required_parameters_are_refused_with_their_names() throws Exception {
      var response = get("/acme/pets/prod/search");

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json().getString("message"))
          .isEqualTo("Missing required request parameters: [q, x-tenant]");
      assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("BadRequestException");
    }

    @Test
    void present_parameters_reach_the_backend() throws Exception {
      var response = gateway.get("/acme/pets/prod/search?q=rex", Map.of("x-tenant", "acme"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("query")).isEqualTo("q=rex");
    }

    @Test
    void a_body_that_satisfies_the_model_reaches_the_backend_intact() throws Exception {
      String body = "{\"name\": \"rex\", \"age\": 3}";
      var response =
          gateway.call(
              HttpMethod.POST,
              "/acme/pets/prod/validated/7",
              Map.of("content-type", "application/json"),
              Buffer.buffer(body));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("path")).isEqualTo("/validated/7");
      assertThat(response.json().getInteger("bodyBytes")).isEqualTo(body.length());
    }

    @Test
    void a_body_that_breaks_the_model_or_is_not_json_is_refused() throws Exception {
      for (String body : List.of("{\"age\": 3}", "{\"name\": \"rex\", \"age\": -1}", "not json")) {
        var response =
            gateway.call(
                HttpMethod.POST,
                "/acme/pets/prod/validated/7",
                Map.of("content-type", "application/json"),
                Buffer.buffer(body));

        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.json().getString("message")).isEqualTo("Invalid request body");
      }
    }

    @Test
    void a_missing_body_is_refused() throws Exception {
      var response = gateway.call(HttpMethod.POST, "/acme/pets/prod/validated/7", Map.of(), null);

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json().getString("message")).isEqualTo("Invalid request body");
    }
  }

  @Nested
  class Limits {
    @Test
    void body_over_the_limit_gets_413() throws Exception {
      var response =
          gateway.call(
              HttpMethod.POST,
              "/acme/pets/prod/upload",
              Map.of(),
              Buffer.buffer(new byte[(int) MAX_BODY + 1]));
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.json().getString("message")).isEqualTo("Request Too Large");
    }

    @Test
    void uri_over_the_limit_gets_414() throws Exception {
      int status =
          gateway.rawStatus(
              "GET /acme/pets/prod/pets?q="
                  + "a".repeat(4000)
                  + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(status).isEqualTo(414);
    }

    @Test
    void headers_over_the_limit_get_431() throws Exception {
      int status =
          gateway.rawStatus(
              "GET /acme/pets/prod/pets HTTP/1.1\r\nHost: localhost\r\nx-big: "
                  + "b".repeat(20_000)
                  + "\r\n\r\n");
      assertThat(status).isEqualTo(431);
    }
  }

  @Nested
  class UsageEvents {
    @Test
    void every_request_emits_one_event_with_its_outcome() throws Exception {
      loadApi(null, 1L, Map.of(), Map.of());
      getWithKey("/acme/pets/prod/pets/1", KEY);
      getWithKey("/acme/pets/prod/pets/1", KEY);
      get("/acme/pets/prod/pets/1");
      get("/acme/pets/prod/nowhere");

      List<UsageEvent> events = List.copyOf(gateway.events);
      assertThat(events)
          .extracting(UsageEvent::outcome)
          .containsExactly(
              Outcome.SERVED,
              Outcome.QUOTA_EXCEEDED,
              Outcome.FORBIDDEN,
              Outcome.MISSING_AUTHENTICATION_TOKEN);
      UsageEvent served = events.get(0);
      assertThat(served.tenantId()).isEqualTo(Fixtures.TENANT_ID);
      assertThat(served.apiId()).isEqualTo(Fixtures.API_ID);
      assertThat(served.stage()).isEqualTo("prod");
      assertThat(served.routeKey()).isEqualTo("GET /pets/{petId}");
      assertThat(served.keyId()).isEqualTo("key-1");
      assertThat(served.planId()).startsWith("gold-");
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.bytesOut()).isPositive();
      assertThat(events).extracting(UsageEvent::eventId).doesNotHaveDuplicates();
    }
  }
}
