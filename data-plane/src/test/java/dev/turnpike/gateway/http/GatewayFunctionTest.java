package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Routes with {@code aws_proxy} integrations through a real gateway listener, against function
 * hosts that run Lambda handlers written against AWS's own event classes.
 */
class GatewayFunctionTest {
  static final String KEY = "tpk_function000000000000000000000000000000";
  static final long MAX_BODY = 10 * 1024 * 1024;

  GatewayRig gateway;
  final List<FunctionHost> hosts = new ArrayList<>();

  /** Released when a test ends, so a function left waiting finishes. */
  final CountDownLatch testOver = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayRig.builder().maxBodyBytes(MAX_BODY).start();
  }

  @AfterEach
  void stop() {
    testOver.countDown();
    hosts.forEach(FunctionHost::close);
    gateway.close();
  }

  <I, O> FunctionHost host(
      Class<I> in, Class<O> out, com.amazonaws.services.lambda.runtime.RequestHandler<I, O> handler)
      throws Exception {
    FunctionHost host = FunctionHost.serving(in, out, handler);
    hosts.add(host);
    return host;
  }

  FunctionHost answering(FunctionHost.Endpoint endpoint) throws Exception {
    FunctionHost host = FunctionHost.answering(endpoint);
    hosts.add(host);
    return host;
  }

  static IntegrationConfig function(String invokeUrl, String payloadFormat) {
    return function(invokeUrl, payloadFormat, 0, 29_000);
  }

  static IntegrationConfig function(
      String invokeUrl, String payloadFormat, int functionTimeout, int integrationTimeout) {
    return IntegrationConfig.awsProxy(
        new FunctionTarget("orders", invokeUrl, functionTimeout, payloadFormat),
        integrationTimeout);
  }

  /** One API with {@code routes}, stage variables and {@code image/png} as a binary type. */
  void deploy(RouteConfig... routes) {
    gateway.load(
        List.of(
            Fixtures.snapshot("prod")
                .deploymentId("dep-1")
                .stageVariables(Map.of("env", "test"))
                .routes(List.of(routes))
                .binaryMediaTypes(List.of("image/png"))
                .build()),
        List.of(Fixtures.key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
        List.of(Fixtures.plan("gold", null, null, "prod")));
  }

  /** The usage events once {@code count} have been emitted (each after its response is sent). */
  List<UsageEvent> usage(int count) {
    Await.until(
        Duration.ofSeconds(10), () -> gateway.events.size() >= count, count + " usage events");
    return List.copyOf(gateway.events);
  }

  static RouteConfig route(String method, String path, boolean keyRequired, IntegrationConfig fn) {
    return Fixtures.route(method, path, keyRequired, fn);
  }

  GatewayRig.Response post(String uri, Map<String, String> headers, byte[] body) throws Exception {
    return gateway.call(HttpMethod.POST, uri, headers, Buffer.buffer(body));
  }

  static APIGatewayProxyResponseEvent ok(String body) {
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody(body);
  }

  @Nested
  class Rest_api_event {
    @Test
    void carries_what_api_gateway_sends_as_aws_event_classes_read_it() throws Exception {
      AtomicReference<APIGatewayProxyRequestEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> {
                seen.set(event);
                return ok("done");
              });
      deploy(route("POST", "/orders/{id}", true, function(fn.invokeUrl(), "1.0")));

      var response =
          gateway.raw(
              "POST /acme/pets/prod/orders/42?color=red&color=blue&size=L HTTP/1.1\r\n"
                  + "Host: localhost\r\n"
                  + "User-Agent: test-agent/1\r\n"
                  + "x-api-key: "
                  + KEY
                  + "\r\n"
                  + "X-Multi: one\r\nX-Multi: two\r\n"
                  + "Content-Type: text/plain\r\nContent-Length: 5\r\n"
                  + "Connection: close\r\n\r\nhello");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("done");
      APIGatewayProxyRequestEvent event = seen.get();
      assertThat(event.getResource()).isEqualTo("/orders/{id}");
      assertThat(event.getPath()).isEqualTo("/orders/42");
      assertThat(event.getHttpMethod()).isEqualTo("POST");
      assertThat(event.getHeaders()).containsEntry("X-Multi", "two");
      assertThat(event.getHeaders()).containsEntry("User-Agent", "test-agent/1");
      assertThat(event.getHeaders()).containsEntry("X-Forwarded-For", "127.0.0.1");
      assertThat(event.getHeaders()).doesNotContainKey("Connection");
      assertThat(event.getMultiValueHeaders()).containsEntry("X-Multi", List.of("one", "two"));
      assertThat(event.getQueryStringParameters()).isEqualTo(Map.of("color", "blue", "size", "L"));
      assertThat(event.getMultiValueQueryStringParameters())
          .isEqualTo(Map.of("color", List.of("red", "blue"), "size", List.of("L")));
      assertThat(event.getPathParameters()).isEqualTo(Map.of("id", "42"));
      assertThat(event.getStageVariables()).isEqualTo(Map.of("env", "test"));
      assertThat(event.getBody()).isEqualTo("hello");
      assertThat(event.getIsBase64Encoded()).isFalse();

      var context = event.getRequestContext();
      assertThat(context.getRequestId()).isEqualTo(response.headers().get("x-amzn-RequestId"));
      assertThat(context.getStage()).isEqualTo("prod");
      assertThat(context.getResourcePath()).isEqualTo("/orders/{id}");
      assertThat(context.getHttpMethod()).isEqualTo("POST");
      assertThat(context.getPath()).isEqualTo("/acme/pets/prod/orders/42");
      assertThat(context.getApiId()).isEqualTo(Fixtures.API_ID);
      assertThat(context.getProtocol()).isEqualTo("HTTP/1.1");
      assertThat(context.getDomainName()).isEqualTo("localhost");
      assertThat(context.getRequestTimeEpoch()).isPositive();
      assertThat(context.getIdentity().getSourceIp()).isEqualTo("127.0.0.1");
      assertThat(context.getIdentity().getUserAgent()).isEqualTo("test-agent/1");
      assertThat(context.getIdentity().getApiKey()).isEqualTo(KEY);
    }

    @Test
    void sends_null_for_absent_maps_and_no_key_for_a_route_without_one() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> ok("x"));
      deploy(route("GET", "/status", false, function(fn.invokeUrl(), "1.0")));

      var response = gateway.get("/acme/pets/prod/status", Map.of("x-api-key", KEY));

      assertThat(response.status()).isEqualTo(200);
      var event = new io.vertx.core.json.JsonObject(fn.events().getFirst());
      assertThat(event.containsKey("queryStringParameters")).isTrue();
      assertThat(event.getValue("queryStringParameters")).isNull();
      assertThat(event.getValue("pathParameters")).isNull();
      assertThat(event.getValue("body")).isNull();
      assertThat(event.getBoolean("isBase64Encoded")).isFalse();
      assertThat(event.getJsonObject("requestContext").getJsonObject("identity").getValue("apiKey"))
          .isNull();
    }

    @Test
    void a_binary_media_type_body_travels_base64_encoded() throws Exception {
      AtomicReference<APIGatewayProxyRequestEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> {
                seen.set(event);
                return ok("x");
              });
      deploy(route("POST", "/images", false, function(fn.invokeUrl(), "1.0")));
      byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};

      var response = post("/acme/pets/prod/images", Map.of("Content-Type", "image/png"), png);

      assertThat(response.status()).isEqualTo(200);
      assertThat(seen.get().getIsBase64Encoded()).isTrue();
      assertThat(Base64.getDecoder().decode(seen.get().getBody())).isEqualTo(png);
    }
  }

  @Nested
  class Http_api_event {
    @Test
    void carries_what_api_gateway_sends_as_aws_event_classes_read_it() throws Exception {
      AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayV2HTTPEvent.class,
              APIGatewayV2HTTPResponse.class,
              (event, context) -> {
                seen.set(event);
                return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withBody("v2")
                    .build();
              });
      deploy(route("POST", "/orders/{id}", false, function(fn.invokeUrl(), "2.0")));

      var response =
          gateway.raw(
              "POST /acme/pets/prod/orders/7?color=red&color=blue&size=L HTTP/1.1\r\n"
                  + "Host: localhost\r\n"
                  + "User-Agent: test-agent/2\r\n"
                  + "X-Multi: one\r\nX-Multi: two\r\n"
                  + "Cookie: a=1; b=2\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 11\r\n"
                  + "Connection: close\r\n\r\n{\"n\":12345}");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("v2");
      APIGatewayV2HTTPEvent event = seen.get();
      assertThat(event.getVersion()).isEqualTo("2.0");
      assertThat(event.getRouteKey()).isEqualTo("POST /orders/{id}");
      assertThat(event.getRawPath()).isEqualTo("/acme/pets/prod/orders/7");
      assertThat(event.getRawQueryString()).isEqualTo("color=red&color=blue&size=L");
      assertThat(event.getCookies()).containsExactly("a=1", "b=2");
      assertThat(event.getHeaders())
          .containsEntry("x-multi", "one,two")
          .containsEntry("user-agent", "test-agent/2")
          .doesNotContainKey("cookie");
      assertThat(event.getQueryStringParameters())
          .isEqualTo(Map.of("color", "red,blue", "size", "L"));
      assertThat(event.getPathParameters()).isEqualTo(Map.of("id", "7"));
      assertThat(event.getStageVariables()).isEqualTo(Map.of("env", "test"));
      assertThat(event.getBody()).isEqualTo("{\"n\":12345}");
      assertThat(event.getIsBase64Encoded()).isFalse();
      var context = event.getRequestContext();
      assertThat(context.getRequestId()).isEqualTo(response.headers().get("x-amzn-RequestId"));
      assertThat(context.getRouteKey()).isEqualTo("POST /orders/{id}");
      assertThat(context.getStage()).isEqualTo("prod");
      assertThat(context.getApiId()).isEqualTo(Fixtures.API_ID);
      assertThat(context.getTimeEpoch()).isPositive();
      assertThat(context.getHttp().getMethod()).isEqualTo("POST");
      assertThat(context.getHttp().getPath()).isEqualTo("/acme/pets/prod/orders/7");
      assertThat(context.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
      assertThat(context.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
      assertThat(context.getHttp().getUserAgent()).isEqualTo("test-agent/2");
    }

    @Test
    void a_body_that_is_not_utf8_travels_base64_encoded() throws Exception {
      AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
      FunctionHost fn =
          host(
              APIGatewayV2HTTPEvent.class,
              String.class,
              (event, context) -> {
                seen.set(event);
                return "ok";
              });
      deploy(route("POST", "/raw", false, function(fn.invokeUrl(), "2.0")));
      byte[] bytes = {(byte) 0xc3, (byte) 0x28, 0, (byte) 0xfe};

      var response =
          post("/acme/pets/prod/raw", Map.of("Content-Type", "application/octet-stream"), bytes);

      assertThat(response.status()).isEqualTo(200);
      assertThat(seen.get().getIsBase64Encoded()).isTrue();
      assertThat(Base64.getDecoder().decode(seen.get().getBody())).isEqualTo(bytes);
    }
  }

  @Nested
  class Responses {
    @Test
    void status_headers_multi_value_headers_and_body_reach_the_client() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) ->
                  new APIGatewayProxyResponseEvent()
                      .withStatusCode(201)
                      .withHeaders(Map.of("Content-Type", "text/plain", "X-Both", "single"))
                      .withMultiValueHeaders(
                          Map.of("Set-Cookie", List.of("a=1", "b=2"), "X-Both", List.of("multi")))
                      .withBody("created"));
      deploy(route("POST", "/orders", false, function(fn.invokeUrl(), "1.0")));

      var response = post("/acme/pets/prod/orders", Map.of(), "{}".getBytes());

      assertThat(response.status()).isEqualTo(201);
      assertThat(response.body()).isEqualTo("created");
      assertThat(response.headers().get("content-type")).isEqualTo("text/plain");
      assertThat(response.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
      assertThat(response.headers().getAll("x-both")).containsExactly("multi");
      assertThat(response.headers().get("x-amzn-RequestId")).isNotBlank();
      assertThat(usage(1))
          .singleElement()
          .satisfies(
              usage -> {
                assertThat(usage.status()).isEqualTo(201);
                assertThat(usage.outcome()).isEqualTo(Outcome.SERVED);
                assertThat(usage.bytesOut()).isEqualTo(7);
                assertThat(usage.routeKey()).isEqualTo("POST /orders");
              });
    }

    @Test
    void a_base64_body_is_decoded_for_the_client() throws Exception {
      byte[] bytes = new byte[256];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) i;
      }
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) ->
                  new APIGatewayProxyResponseEvent()
                      .withStatusCode(200)
                      .withHeaders(Map.of("Content-Type", "application/octet-stream"))
                      .withIsBase64Encoded(true)
                      .withBody(Base64.getEncoder().encodeToString(bytes)));
      deploy(route("GET", "/blob", false, function(fn.invokeUrl(), "1.0")));

      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      "http://127.0.0.1:" + gateway.port() + "/acme/pets/prod/blob"))
              .build();
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(bytes);
    }

    @Test
    void a_json_object_with_no_status_code_answers_200_json_under_payload_2_0() throws Exception {
      FunctionHost fn =
          host(APIGatewayV2HTTPEvent.class, Map.class, (event, context) -> Map.of("ok", true));
      deploy(route("GET", "/simple", false, function(fn.invokeUrl(), "2.0")));

      var response = gateway.get("/acme/pets/prod/simple", Map.of());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("content-type")).isEqualTo("application/json");
      assertThat(response.json().getBoolean("ok")).isTrue();
    }

    @Test
    void a_bare_string_answers_200_with_its_text_under_payload_2_0() throws Exception {
      FunctionHost fn =
          host(APIGatewayV2HTTPEvent.class, String.class, (event, context) -> "Hello from Lambda!");
      deploy(route("GET", "/hello", false, function(fn.invokeUrl(), "2.0")));

      var response = gateway.get("/acme/pets/prod/hello", Map.of());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("content-type")).isEqualTo("application/json");
      assertThat(response.body()).isEqualTo("Hello from Lambda!");
    }

    @Test
    void payload_2_0_cookies_become_set_cookie_headers() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayV2HTTPEvent.class,
              APIGatewayV2HTTPResponse.class,
              (event, context) ->
                  APIGatewayV2HTTPResponse.builder()
                      .withStatusCode(302)
                      .withHeaders(Map.of("Location", "/next"))
                      .withCookies(List.of("session=abc; HttpOnly", "theme=dark"))
                      .build());
      deploy(route("GET", "/login", false, function(fn.invokeUrl(), "2.0")));

      var response = gateway.get("/acme/pets/prod/login", Map.of());

      assertThat(response.status()).isEqualTo(302);
      assertThat(response.headers().get("location")).isEqualTo("/next");
      assertThat(response.headers().getAll("set-cookie"))
          .containsExactly("session=abc; HttpOnly", "theme=dark");
    }
  }

  @Nested
  class Failures {
    void assertInternalServerError(GatewayRig.Response response) {
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.json().encode()).isEqualTo("{\"message\":\"Internal server error\"}");
      assertThat(response.headers().get("x-amzn-ErrorType"))
          .isEqualTo("InternalServerErrorException");
    }

    @Test
    void a_function_error_answers_502() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> {
                throw new IllegalStateException("boom");
              });
      deploy(route("GET", "/boom", false, function(fn.invokeUrl(), "1.0")));

      assertInternalServerError(gateway.get("/acme/pets/prod/boom", Map.of()));
      assertThat(usage(1))
          .extracting(usage -> usage.outcome())
          .containsExactly(Outcome.INTEGRATION_FAILURE);
    }

    @Test
    void malformed_answers_502() throws Exception {
      FunctionHost notJson = answering(event -> FunctionHost.Answer.ok("{not json"));
      FunctionHost extraField =
          answering(event -> FunctionHost.Answer.ok("{\"statusCode\":200,\"bodyy\":\"x\"}"));
      FunctionHost objectBody =
          answering(event -> FunctionHost.Answer.ok("{\"statusCode\":200,\"body\":{\"a\":1}}"));
      FunctionHost noStatus = answering(event -> FunctionHost.Answer.ok("{\"body\":\"x\"}"));
      FunctionHost badBase64 =
          answering(
              event ->
                  FunctionHost.Answer.ok(
                      "{\"statusCode\":200,\"body\":\"%%%\",\"isBase64Encoded\":true}"));
      deploy(
          route("GET", "/a", false, function(notJson.invokeUrl(), "1.0")),
          route("GET", "/b", false, function(extraField.invokeUrl(), "1.0")),
          route("GET", "/c", false, function(objectBody.invokeUrl(), "1.0")),
          route("GET", "/d", false, function(noStatus.invokeUrl(), "1.0")),
          route("GET", "/e", false, function(badBase64.invokeUrl(), "2.0")),
          route("GET", "/f", false, function(notJson.invokeUrl(), "2.0")));

      for (String path : List.of("/a", "/b", "/c", "/d", "/e", "/f")) {
        assertInternalServerError(gateway.get("/acme/pets/prod" + path, Map.of()));
      }
    }

    @Test
    void an_invoke_api_error_answers_502() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> ok("never"));
      // A path the endpoint does not serve: its 404 is no function answer.
      deploy(route("GET", "/lost", false, function(fn.invokeUrl() + "/elsewhere", "1.0")));

      assertInternalServerError(gateway.get("/acme/pets/prod/lost", Map.of()));
    }

    @Test
    void the_integration_timeout_answers_504_and_caps_a_longer_function_timeout() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> {
                try {
                  testOver.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return ok("late");
              });
      deploy(
          route("GET", "/capped", false, function(fn.invokeUrl(), "1.0", 29_000, 300)),
          route("GET", "/own", false, function(fn.invokeUrl(), "1.0", 300, 29_000)));

      for (String path : List.of("/capped", "/own")) {
        var response = gateway.get("/acme/pets/prod" + path, Map.of());
        assertThat(response.status()).isEqualTo(504);
        assertThat(response.json().getString("message")).isEqualTo("Endpoint request timed out");
      }
      assertThat(usage(2))
          .extracting(usage -> usage.outcome())
          .containsExactly(Outcome.INTEGRATION_TIMEOUT, Outcome.INTEGRATION_TIMEOUT);
    }

    @Test
    void an_unreachable_function_answers_504_network_error() throws Exception {
      deploy(
          route(
              "GET",
              "/down",
              false,
              function("http://127.0.0.1:" + GatewayHttpTest.closedPort(), "1.0")));

      var response = gateway.get("/acme/pets/prod/down", Map.of());

      assertThat(response.status()).isEqualTo(504);
      assertThat(response.json().getString("message"))
          .isEqualTo("Network error communicating with endpoint");
    }

    @Test
    void a_request_over_lambdas_6_mb_answers_413_without_calling_the_function() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> ok("x"));
      deploy(route("POST", "/big", false, function(fn.invokeUrl(), "1.0")));
      byte[] body = new byte[6 * 1024 * 1024 + 1];
      java.util.Arrays.fill(body, (byte) 'a');

      var response = post("/acme/pets/prod/big", Map.of("Content-Type", "text/plain"), body);

      assertThat(response.status()).isEqualTo(413);
      assertThat(fn.events()).isEmpty();
    }

    @Test
    void an_answer_over_lambdas_6_mb_answers_502() throws Exception {
      byte[] huge = new byte[6 * 1024 * 1024 + 100];
      java.util.Arrays.fill(huge, (byte) ' ');
      byte[] start = "{\"statusCode\":200,\"body\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      System.arraycopy(start, 0, huge, 0, start.length);
      FunctionHost fn = answering(event -> new FunctionHost.Answer(200, Map.of(), huge));
      deploy(route("GET", "/huge", false, function(fn.invokeUrl(), "1.0")));

      assertInternalServerError(gateway.get("/acme/pets/prod/huge", Map.of()));
    }

    @Test
    void a_function_at_an_address_the_egress_policy_refuses_is_never_called() throws Exception {
      // The gateway's own listener is refused even under the trial policy the rig runs.
      deploy(route("GET", "/self", false, function("http://127.0.0.1:" + gateway.port(), "1.0")));

      var response = gateway.get("/acme/pets/prod/self", Map.of());

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.headers().get("x-amzn-ErrorType"))
          .isEqualTo("InternalServerErrorException");
      assertThat(usage(1))
          .extracting(usage -> usage.outcome())
          .containsExactly(Outcome.CONFIGURATION_ERROR);
    }

    @Test
    void under_the_strict_policy_a_loopback_function_is_refused() throws Exception {
      FunctionHost fn =
          host(
              APIGatewayProxyRequestEvent.class,
              APIGatewayProxyResponseEvent.class,
              (event, context) -> ok("x"));
      try (GatewayRig strict =
          GatewayRig.builder().egress(Map.of()).hosts(EgressAttackTest.HOSTS).start()) {
        strict.load(
            List.of(
                Fixtures.deployment(
                    "prod",
                    List.of(
                        route("GET", "/literal", false, function(fn.invokeUrl(), "1.0")),
                        route(
                            "GET",
                            "/named",
                            false,
                            function("http://localhost:" + fn.port(), "1.0"))))),
            List.of(),
            List.of());

        for (String path : List.of("/literal", "/named")) {
          var response = strict.get("/acme/pets/prod" + path, Map.of());
          assertThat(response.status()).isEqualTo(500);
        }
      }
      assertThat(fn.events()).isEmpty();
    }
  }
}
