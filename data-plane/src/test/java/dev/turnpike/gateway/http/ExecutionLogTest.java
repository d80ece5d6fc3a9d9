package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.key;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.plan;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static dev.turnpike.gateway.http.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.contracts.config.StageExecutionLogging.Level;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Execution logs per stage (API Gateway's loggingLevel and dataTraceEnabled). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutionLogTest {
  static final String KEY = "tpk_execlog0000000000000000000000secret";
  static final String BEARER = "Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig";
  static final String COOKIE = "session=cookie-secret-value-1234";
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  GatewayRig rig;
  TestBackend backend;

  @BeforeAll
  void start() throws Exception {
    rig = GatewayRig.builder().start();
    backend = TestBackend.start(rig.vertx);
  }

  @AfterAll
  void stop() {
    backend.close();
    rig.close();
  }

  void load(StageExecutionLogging logging) {
    rig.load(
        List.of(
            snapshot("prod")
                .routes(
                    List.of(
                        route("GET", "/pets/{id}", true, proxy(backend.url() + "/pets/{id}")),
                        route("POST", "/pets", false, proxy(backend.url() + "/pets")),
                        route("GET", "/hi", false, mock(200, "{\"hello\":\"world\"}")),
                        // A request template makes an http integration read the body whole.
                        route(
                            "POST",
                            "/templated",
                            false,
                            GatewayTemplatesTest.http(
                                backend.url() + "/templated?token=" + KEY,
                                Map.of(
                                    GatewayTemplatesTest.JSON, GatewayTemplatesTest.PET_TEMPLATE),
                                null,
                                null,
                                List.of()))))
                .executionLogging(logging)
                .build()),
        List.of(key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
        List.of(plan("gold", null, null, "prod")));
  }

  /** The lines written for the request answered with {@code requestId}, once they are all there. */
  List<JsonObject> linesOf(String requestId) {
    Await.until(
        Duration.ofSeconds(10),
        () ->
            lines(requestId).stream()
                .anyMatch(l -> l.getString("message").startsWith("Method completed")),
        () -> "execution lines of " + requestId + ", have: " + rig.executionLogOut);
    return lines(requestId);
  }

  List<JsonObject> lines(String requestId) {
    return Arrays.stream(rig.executionLogOut.toString().split("\n"))
        .filter(l -> !l.isBlank())
        .map(JsonObject::new)
        .filter(l -> requestId.equals(l.getString("requestId")))
        .toList();
  }

  static List<String> messages(List<JsonObject> lines) {
    return lines.stream().map(l -> l.getString("message")).toList();
  }

  static String id(GatewayRig.Response answer) {
    return answer.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER);
  }

  GatewayRig.Response getPet(String query) throws Exception {
    return rig.get(
        "/acme/pets/prod/pets/1" + query,
        Map.of(
            "x-api-key", KEY,
            "authorization", BEARER,
            "cookie", COOKIE,
            "traceparent", TRACEPARENT));
  }

  @Nested
  class AtInfo {
    @Test
    void a_request_is_logged_from_start_to_completion_with_its_ids() throws Exception {
      load(new StageExecutionLogging(Level.INFO, false));

      var answer = getPet("");

      assertThat(answer.status()).isEqualTo(200);
      List<JsonObject> lines = linesOf(id(answer));
      assertThat(lines)
          .allSatisfy(
              line -> {
                assertThat(line.getString("traceId")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
                assertThat(line.getString("tenant")).isEqualTo("acme");
                assertThat(line.getString("stage")).isEqualTo("prod");
              });
      List<String> messages = messages(lines);
      assertThat(messages.getFirst()).isEqualTo("Starting execution for request: " + id(answer));
      assertThat(messages)
          .contains(
              "HTTP Method: GET, Resource Path: /pets/1",
              "API Key: " + KEY.substring(0, 8) + "****",
              "Endpoint request URI: GET " + backend.url() + "/pets/1",
              "Endpoint response status: 200")
          .anySatisfy(m -> assertThat(m).startsWith("Method request headers: {"))
          .anySatisfy(m -> assertThat(m).startsWith("Endpoint response headers: {"))
          .noneSatisfy(m -> assertThat(m).contains("body"));
      assertThat(messages.getLast()).isEqualTo("Method completed with status: 200");
    }

    @Test
    void keys_authorization_and_cookies_never_reach_a_line_wherever_the_client_puts_them()
        throws Exception {
      load(new StageExecutionLogging(Level.INFO, true));

      // The key again in the query, under a secret-looking name and a plain one.
      var answer = getPet("?api_key=" + KEY + "&q=" + KEY);

      assertThat(answer.status()).isEqualTo(200);
      List<JsonObject> lines = linesOf(id(answer));
      String all = rig.executionLogOut.toString();
      assertThat(all)
          .doesNotContain(KEY)
          .doesNotContain(KEY.substring(8))
          .doesNotContain("c2VjcmV0LXRva2Vu")
          .doesNotContain("cookie-secret-value");
      String headers =
          messages(lines).stream()
              .filter(m -> m.startsWith("Method request headers:"))
              .findFirst()
              .orElseThrow();
      assertThat(headers)
          .contains("x-api-key=****", "authorization=****", "Cookie=****", "traceparent=00-");
      assertThat(messages(lines))
          .anySatisfy(m -> assertThat(m).startsWith("Endpoint request headers: {"))
          .anySatisfy(m -> assertThat(m).contains("api_key=****&q=****"));
    }

    @Test
    void data_trace_adds_bodies_cut_at_one_kilobyte() throws Exception {
      load(new StageExecutionLogging(Level.INFO, true));
      String body = "a".repeat(3000);

      var answer = rig.call(HttpMethod.POST, "/acme/pets/prod/pets", Map.of(), Buffer.buffer(body));

      assertThat(answer.status()).isEqualTo(200);
      List<String> messages = messages(linesOf(id(answer)));
      assertThat(messages)
          .contains(
              "Method request body before transformations: "
                  + "a".repeat(StageExecutionLogging.MAX_BODY_BYTES)
                  + " [TRUNCATED]");
      // The echo backend's small answer, whole.
      String response =
          messages.stream()
              .filter(m -> m.startsWith("Method response body after transformations: "))
              .findFirst()
              .orElseThrow()
              .substring("Method response body after transformations: ".length());
      assertThat(new JsonObject(response).getInteger("bodyBytes")).isEqualTo(3000);
    }

    @Test
    void a_mock_has_no_endpoint_lines_and_its_body_only_with_data_trace() throws Exception {
      load(new StageExecutionLogging(Level.INFO, false));
      var plain = rig.get("/acme/pets/prod/hi", Map.of());
      load(new StageExecutionLogging(Level.INFO, true));
      var traced = rig.get("/acme/pets/prod/hi", Map.of());

      // Neither the client nor the gateway traced the call: the lines have no trace id.
      assertThat(linesOf(id(plain)))
          .noneSatisfy(l -> assertThat(l.containsKey("traceId")).isTrue());
      assertThat(messages(linesOf(id(plain))))
          .noneSatisfy(m -> assertThat(m).startsWith("Endpoint"))
          .noneSatisfy(m -> assertThat(m).contains("body"));
      assertThat(messages(linesOf(id(traced))))
          .contains("Method response body after transformations: {\"hello\":\"world\"}");
    }
  }

  @Test
  void a_templated_http_integration_logs_its_endpoint_request_and_response() throws Exception {
    load(new StageExecutionLogging(Level.INFO, false));

    var answer =
        rig.call(
            HttpMethod.POST,
            "/acme/pets/prod/templated",
            Map.of("content-type", "application/json"),
            Buffer.buffer("{\"name\":\"rex\"}"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(messages(linesOf(id(answer))))
        .contains(
            "Endpoint request URI: POST " + backend.url() + "/templated?token=****",
            "Endpoint response status: 200");
  }

  @Nested
  class AtError {
    @Test
    void only_requests_answered_with_an_error_are_logged_with_the_error() throws Exception {
      load(new StageExecutionLogging(Level.ERROR, false));

      var served = rig.get("/acme/pets/prod/hi", Map.of());
      var refused =
          rig.get("/acme/pets/prod/pets/1", Map.of("x-api-key", KEY.replace("secret", "wrong!")));

      assertThat(served.status()).isEqualTo(200);
      assertThat(refused.status()).isEqualTo(403);
      List<String> messages = messages(linesOf(id(refused)));
      assertThat(messages)
          .contains("API Key: ****", "Method completed with status: 403")
          .anySatisfy(m -> assertThat(m).startsWith("Execution failed: INVALID_API_KEY"));
      assertThat(rig.executionLogOut.toString()).doesNotContain("wrong!");
      // The served call's lines would be written before the refused call's last: there are none.
      assertThat(lines(id(served))).isEmpty();
    }
  }

  @Test
  void a_stage_that_does_not_log_writes_nothing() throws Exception {
    load(StageExecutionLogging.OFF);

    var answer = rig.get("/acme/pets/prod/hi", Map.of());
    // A call on a logging stage after it: once its lines are there, the first call's would be too.
    load(new StageExecutionLogging(Level.INFO, false));
    var marker = rig.get("/acme/pets/prod/hi", Map.of());

    linesOf(id(marker));
    assertThat(lines(id(answer))).isEmpty();
  }

  @Test
  void lines_reach_the_tenants_access_log_topic_marked_as_execution() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      broker.createTopic("turnpike.access.acme", 1, false);
      try (AccessLogShipper shipper =
          new AccessLogShipper(
              "turnpike.access", broker.bootstrapServers(), Map.of(), "node-a", 1_000)) {
        rig.executionLog.shipTo(shipper);
        load(new StageExecutionLogging(Level.INFO, false));
        // A first call warms the producer up (its first send waits for the topic's metadata,
        // and may give up: shipping is best effort); the second is the one to find whole.
        rig.get("/acme/pets/prod/hi", Map.of());
        Await.until(
            Duration.ofSeconds(30),
            () -> !broker.readAll("turnpike.access.acme", 1, Duration.ofSeconds(1)).isEmpty(),
            () -> "a first execution line on the tenant's topic");

        var answer = rig.get("/acme/pets/prod/hi", Map.of());

        int count = linesOf(id(answer)).size();
        var records =
            broker.readAll("turnpike.access.acme", 2 * count, Duration.ofSeconds(10)).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(id(answer)))
                .toList();
        assertThat(records).hasSize(count);
        assertThat(records)
            .allSatisfy(
                record -> {
                  assertThat(
                          new String(
                              record.headers().lastHeader(AccessLogShipper.LOG_HEADER).value(),
                              StandardCharsets.UTF_8))
                      .isEqualTo("execution");
                  assertThat(
                          new JsonObject(new String(record.value(), StandardCharsets.UTF_8))
                              .getString("requestId"))
                      .isEqualTo(id(answer));
                });
      } finally {
        rig.executionLog.shipTo(null);
      }
    }
  }
}
