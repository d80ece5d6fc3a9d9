package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.RouteConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request models on the gateway: patterns run in linear time, validated bodies have a limit of
 * their own, and a model the gateway cannot run answers 500 rather than skipping its checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyValidationTest {
  static final long MAX_BODY = 1024 * 1024;
  static final long MAX_VALIDATED_BODY = 64 * 1024;

  GatewayRig gateway;
  TestBackend backend;

  @BeforeAll
  void start() throws Exception {
    gateway =
        GatewayRig.builder()
            .maxBodyBytes(MAX_BODY)
            .maxValidatedBodyBytes(MAX_VALIDATED_BODY)
            .start();
    backend = TestBackend.start(gateway.vertx);
    gateway.load(
        List.of(
            deployment(
                "prod",
                List.of(
                    validated("/nested", "{\"type\": \"string\", \"pattern\": \"^(a+)+$\"}"),
                    validated("/heavy", "{\"type\": \"string\", \"pattern\": \"[a-z]{1000}\"}"),
                    validated("/lookahead", "{\"type\": \"string\", \"pattern\": \"(?=a)\"}"),
                    validated("/plain", "{\"type\": \"string\"}"),
                    Fixtures.route("POST", "/stream", false, proxy(backend.url() + "/stream"))))),
        List.of(),
        List.of());
  }

  RouteConfig validated(String path, String nameSchema) {
    try {
      return new RouteConfig(
          "r" + path,
          "POST",
          path,
          false,
          proxy(backend.url() + path),
          new RequestValidation(
              List.of(),
              new ObjectMapper()
                  .readTree(
                      "{\"type\": \"object\", \"properties\": {\"name\": " + nameSchema + "}}")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  GatewayRig.Response post(String path, String body) throws Exception {
    return gateway.call(
        HttpMethod.POST,
        "/acme/pets/prod" + path,
        Map.of("content-type", "application/json"),
        Buffer.buffer(body));
  }

  static String named(String name) {
    return "{\"name\": \"" + name + "\"}";
  }

  @AfterAll
  void stop() {
    backend.close();
    gateway.close();
  }

  @Nested
  class Patterns {
    @Test
    void a_catastrophic_backtracking_pattern_answers_promptly() throws Exception {
      long started = System.nanoTime();
      var refused = post("/nested", named("a".repeat(50) + "!"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().getString("message")).isEqualTo("Invalid request body");
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      assertThat(post("/nested", named("a".repeat(50))).status()).isEqualTo(200);
    }

    @Test
    void a_body_whose_strings_would_cost_too_much_to_match_gets_413() throws Exception {
      // Weight 1000 times 20,000 characters is over the budget of 16 million steps.
      var response = post("/heavy", named("a".repeat(20_000)));

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.json().getString("message")).isEqualTo("Request Too Large");
      assertThat(post("/heavy", named("a".repeat(1_000))).status()).isEqualTo(200);
    }

    @Test
    void a_pattern_the_gateway_cannot_run_in_linear_time_breaks_its_route_with_500()
        throws Exception {
      var response = post("/lookahead", named("abc"));

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.headers().get("x-backend")).isNull();
    }
  }

  @Nested
  class Limits {
    @Test
    void a_validated_body_over_its_own_limit_gets_413_request_too_large() throws Exception {
      var response = post("/plain", named("b".repeat((int) MAX_VALIDATED_BODY)));

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.json().getString("message")).isEqualTo("Request Too Large");
      assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("RequestTooLarge");
    }

    @Test
    void a_validated_body_over_its_limit_without_a_length_gets_413_too() throws Exception {
      var response =
          gateway.raw(
              "POST /acme/pets/prod/plain HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                  + "Connection: close\r\n\r\n"
                  + chunk(named("c".repeat((int) MAX_VALIDATED_BODY)))
                  + "0\r\n\r\n");

      assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void a_streamed_body_keeps_the_larger_limit() throws Exception {
      var response =
          gateway.call(
              HttpMethod.POST,
              "/acme/pets/prod/stream",
              Map.of(),
              Buffer.buffer(new byte[(int) MAX_VALIDATED_BODY * 4]));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getInteger("bodyBytes")).isEqualTo(MAX_VALIDATED_BODY * 4);
    }

    @Test
    void a_large_valid_body_is_checked_off_the_event_loop_and_reaches_the_backend()
        throws Exception {
      String body = named("d".repeat(40_000));

      var response = post("/plain", body);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getInteger("bodyBytes")).isEqualTo(body.length());
    }
  }

  static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }
}
