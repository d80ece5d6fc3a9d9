package dev.turnpike.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.RouteAuthorization;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.gateway.tracing.GatewayTracer;
import dev.turnpike.gateway.tracing.TracingSettings;
import dev.turnpike.telemetry.OtlpProtocol;
import dev.turnpike.telemetry.TraceExport;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.otlp.OtlpTestCollector;
import dev.turnpike.testkit.otlp.OtlpTestCollector.ReceivedSpan;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Traces through a real gateway listener to a test OTLP/HTTP collector: the client's {@code
 * traceparent}, the gateway's request span and its integration child, and the {@code traceparent}
 * an {@code aws_proxy} function receives; sampling that records nothing passes the client's context
 * on untouched.
 */
class GatewayTracingTest {
  static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CLIENT_PARENT = "00f067aa0ba902b7";
  static final String SAMPLED = "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-01";
  static final String SERVER = "2";
  static final String CLIENT = "3";

  final Vertx servers = Vertx.vertx();
  final List<MultiMap> invocations = new CopyOnWriteArrayList<>();
  OtlpTestCollector collector;
  GatewayTracer tracer;
  GatewayRig gateway;
  HttpServer function;

  @BeforeEach
  void start() throws Exception {
    collector = OtlpTestCollector.start(servers);
    tracer =
        GatewayTracer.start(
            new TracingSettings(
                TraceExport.to(
                    collector.endpoint(), OtlpProtocol.HTTP_PROTOBUF, Duration.ofMillis(20)),
                1.0,
                "X-Amzn-Trace-Id"),
            "test-node");
    gateway = GatewayRig.builder().tracer(tracer).start();
    // A function runtime that records the head of each invocation and answers API Gateway's way.
    function =
        servers
            .createHttpServer()
            .requestHandler(
                request -> {
                  invocations.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
                  request
                      .body()
                      .onSuccess(
                          ignored ->
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .end("{\"statusCode\":200,\"body\":\"served\"}"));
                });
    GatewayRig.await(function.listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    gateway.close();
    tracer.close();
    collector.close();
    GatewayRig.await(servers.close());
  }

  void deploy(StageTracing tracing) {
    IntegrationConfig fn =
        IntegrationConfig.awsProxy(
            new FunctionTarget("orders", "http://127.0.0.1:" + function.actualPort(), 0, "1.0"),
            29_000);
    RouteConfig route = Fixtures.route("GET", "/orders/{id}", false, fn);
    DeploymentSnapshot snapshot =
        Fixtures.snapshot("prod")
            .deploymentId("dep-1")
            .accessLogFields(List.of("requestId", "status", "traceId"))
            .routes(List.of(route))
            .tracing(tracing)
            .build();
    gateway.load(List.of(snapshot), List.of(), List.of());
  }

  List<ReceivedSpan> spans(int count) {
    Await.until(
        Duration.ofSeconds(10), () -> collector.spans().size() >= count, count + " exported spans");
    return collector.spans();
  }

  static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Nested
  class A_traced_stage {
    @Test
    void continues_the_clients_trace_through_the_integration_span_to_the_function()
        throws Exception {
      deploy(new StageTracing(true, 100));

      var response =
          gateway.get(
              "/acme/pets/prod/orders/42", Map.of("traceparent", SAMPLED, "tracestate", "a=1"));

      assertThat(response.status()).isEqualTo(200);
      List<ReceivedSpan> spans = spans(2);
      ReceivedSpan request = named(spans, "GET /orders/{id}");
      ReceivedSpan integration = named(spans, "integration");
      assertThat(request.traceId()).isEqualTo(CLIENT_TRACE);
      assertThat(request.parentSpanId()).isEqualTo(CLIENT_PARENT);
      assertThat(String.valueOf(request.kind())).isEqualTo(SERVER);
      assertThat(request.attributes())
          .containsEntry("turnpike.tenant", "acme")
          .containsEntry("turnpike.api", "pets")
          .containsEntry("turnpike.stage", "prod")
          .containsEntry("turnpike.route_key", "GET /orders/{id}")
          .containsEntry("http.response.status_code", "200");
      assertThat(integration.traceId()).isEqualTo(CLIENT_TRACE);
      assertThat(integration.parentSpanId()).isEqualTo(request.spanId());
      assertThat(String.valueOf(integration.kind())).isEqualTo(CLIENT);
      // The function's parent is the integration span, in the same trace; tracestate goes along.
      assertThat(invocations).hasSize(1);
      assertThat(invocations.getFirst().get("traceparent"))
          .isEqualTo("00-" + CLIENT_TRACE + "-" + integration.spanId() + "-01");
      assertThat(invocations.getFirst().get("tracestate")).isEqualTo("a=1");
    }

    @Test
    void starts_a_trace_of_its_own_and_names_it_in_the_access_log_usage_event_and_header()
        throws Exception {
      deploy(new StageTracing(true, 100));

      var response = gateway.get("/acme/pets/prod/orders/7", Map.of());

      ReceivedSpan request = named(spans(2), "GET /orders/{id}");
      assertThat(request.parentSpanId()).isEmpty();
      String traceId = request.traceId();
      assertThat(response.headers().get("X-Amzn-Trace-Id"))
          .isEqualTo("Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8));
      UsageEvent event = awaitUsage();
      assertThat(event.traceId()).isEqualTo(traceId);
      Await.until(
          Duration.ofSeconds(10),
          () -> gateway.accessLogOut.toString().contains("\"traceId\":\"" + traceId + "\""),
          "the access log line with the trace id");
      assertThat(invocations.getFirst().get("traceparent")).startsWith("00-" + traceId + "-");
    }

    @Test
    void follows_a_clients_unsampled_decision_and_passes_its_context_on_unchanged()
        throws Exception {
      deploy(new StageTracing(true, 100));
      String unsampled = "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-00";

      var response = gateway.get("/acme/pets/prod/orders/1", Map.of("traceparent", unsampled));

      assertThat(response.status()).isEqualTo(200);
      assertThat(invocations.getFirst().get("traceparent")).isEqualTo(unsampled);
      assertThat(response.headers().get("X-Amzn-Trace-Id")).isNull();
      assertNothingExported();
    }
  }

  @Nested
  class A_traced_route_with_a_lambda_authorizer {
    @Test
    void gives_the_authorizer_a_span_of_its_own_and_its_call_that_span_as_parent()
        throws Exception {
      List<MultiMap> authorizerCalls = new CopyOnWriteArrayList<>();
      HttpServer authorizer =
          servers
              .createHttpServer()
              .requestHandler(
                  request -> {
                    authorizerCalls.add(
                        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
                    request
                        .body()
                        .onSuccess(
                            ignored ->
                                request
                                    .response()
                                    .putHeader("content-type", "application/json")
                                    .end(ALLOW_ALL));
                  });
      GatewayRig.await(authorizer.listen(0, "127.0.0.1"));
      deployAuthorized("http://127.0.0.1:" + authorizer.actualPort());

      var response =
          gateway.get(
              "/acme/pets/prod/orders/42",
              Map.of("traceparent", SAMPLED, "Authorization", "Bearer good"));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      List<ReceivedSpan> spans = spans(3);
      ReceivedSpan request = named(spans, "GET /orders/{id}");
      ReceivedSpan authorizing = named(spans, "authorizer");
      assertThat(authorizing.traceId()).isEqualTo(CLIENT_TRACE);
      assertThat(authorizing.parentSpanId()).isEqualTo(request.spanId());
      assertThat(authorizerCalls.getFirst().get("traceparent"))
          .isEqualTo("00-" + CLIENT_TRACE + "-" + authorizing.spanId() + "-01");
      assertThat(request.attributes()).containsEntry("turnpike.principal_id", "user-7");
    }
  }

  static final String ALLOW_ALL =
      "{\"principalId\":\"user-7\",\"policyDocument\":{\"Version\":\"2012-10-17\","
          + "\"Statement\":[{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\","
          + "\"Resource\":\"*\"}]}}";

  void deployAuthorized(String authorizerUrl) {
    IntegrationConfig fn =
        IntegrationConfig.awsProxy(
            new FunctionTarget("orders", "http://127.0.0.1:" + function.actualPort(), 0, "1.0"),
            29_000);
    RouteConfig route =
        new RouteConfig(
            "r-orders",
            "GET",
            "/orders/{id}",
            false,
            fn,
            null,
            new RouteAuthorization("auth-1", List.of()));
    AuthorizerConfig tokens =
        new AuthorizerConfig(
            "auth-1",
            "tokens",
            AuthorizerType.TOKEN,
            List.of("method.request.header.Authorization"),
            null,
            new FunctionTarget("authorizer", authorizerUrl, 0, null),
            null,
            2_000,
            0,
            "^Bearer [a-z]+$",
            null,
            false);
    gateway.load(
        List.of(
            Fixtures.snapshot("prod")
                .deploymentId("dep-1")
                .routes(List.of(route))
                .authorizers(List.of(tokens))
                .tracing(new StageTracing(true, 100))
                .build()),
        List.of(),
        List.of());
  }

  @Nested
  class An_untraced_stage {
    @Test
    void at_zero_percent_exports_nothing_and_sends_the_clients_traceparent_on_unchanged()
        throws Exception {
      deploy(new StageTracing(true, 0));

      var response =
          gateway.get(
              "/acme/pets/prod/orders/42", Map.of("traceparent", SAMPLED, "tracestate", "a=1"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(invocations.getFirst().get("traceparent")).isEqualTo(SAMPLED);
      assertThat(invocations.getFirst().get("tracestate")).isEqualTo("a=1");
      assertThat(response.headers().get("X-Amzn-Trace-Id")).isNull();
      // The client's trace id still names the request in its records.
      assertThat(awaitUsage().traceId()).isEqualTo(CLIENT_TRACE);
      assertNothingExported();
    }

    @Test
    void with_tracing_off_starts_no_trace_and_sends_no_traceparent() throws Exception {
      deploy(StageTracing.OFF);

      gateway.get("/acme/pets/prod/orders/42", Map.of());

      assertThat(invocations.getFirst().get("traceparent")).isNull();
      assertThat(awaitUsage().traceId()).isNull();
      assertNothingExported();
    }

    @Test
    void drops_a_malformed_traceparent_rather_than_passing_it_on() throws Exception {
      deploy(StageTracing.OFF);

      gateway.get(
          "/acme/pets/prod/orders/42",
          Map.of("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_PARENT + "-01-forged"));

      assertThat(invocations.getFirst().get("traceparent")).isNull();
      assertThat(invocations.getFirst().get("tracestate")).isNull();
    }
  }

  UsageEvent awaitUsage() {
    Await.until(Duration.ofSeconds(10), () -> !gateway.events.isEmpty(), "a usage event");
    return gateway.events.peek();
  }

  /**
   * Nothing reached the collector: a traced request sent after the one under test is exported, and
   * its spans are all there is (the exporter sends finished spans in order).
   */
  void assertNothingExported() throws Exception {
    deploy(new StageTracing(true, 100));
    String root =
        gateway.get("/acme/pets/prod/orders/marker", Map.of()).headers().get("X-Amzn-Trace-Id");
    String marker = root.substring(7, 15) + root.substring(16);
    Await.until(
        Duration.ofSeconds(10),
        () -> collector.spans().stream().filter(s -> s.traceId().equals(marker)).count() == 2,
        "the marker request's spans");
    assertThat(collector.spans()).extracting(ReceivedSpan::traceId).containsOnly(marker);
  }
}
