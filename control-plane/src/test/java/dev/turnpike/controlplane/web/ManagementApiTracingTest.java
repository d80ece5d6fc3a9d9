package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.otlp.OtlpTestCollector;
import dev.turnpike.testkit.otlp.OtlpTestCollector.ReceivedSpan;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane's own spans (docs/tracing.md): a management API request reaches a test OTLP
 * collector on port 0 as a SERVER span named by its route, continuing the caller's trace.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiTracingTest {
  static final int SERVER = 2;
  static final int STATUS_ERROR = 2;

  Vertx vertx;
  OtlpTestCollector collector;
  TestControlPlane cp;
  String token;
  Fixture fx;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(TestDatabase db) {
    vertx = Vertx.vertx();
    collector = OtlpTestCollector.start(vertx);
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_CP_TRACING_OTLP_ENDPOINT",
                collector.endpoint(),
                "TURNPIKE_CP_TRACING_EXPORT_DELAY_MS",
                "20"));
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(cp.client(), token);
  }

  @AfterAll
  void stop() {
    cp.close();
    collector.close();
    vertx.close().await();
  }

  static String newId(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1;
    return HexFormat.of().formatHex(id);
  }

  int get(String path, String traceparent) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.controlPlane().port() + path))
            .header("Authorization", "Bearer " + token);
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The spans of one trace, once {@code count} of them have arrived. */
  List<ReceivedSpan> trace(String traceId, int count) {
    Await.until(
        Duration.ofSeconds(10),
        () -> collector.spans().stream().filter(s -> s.traceId().equals(traceId)).count() >= count,
        count + " spans of trace " + traceId);
    return collector.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  @Test
  void a_request_is_a_server_span_named_by_its_route_under_the_callers_span() throws Exception {
    String tenant = fx.tenant();
    String traceId = newId(16);
    String callerSpan = newId(8);

    int status = get("/v1/tenants/" + tenant, "00-" + traceId + "-" + callerSpan + "-01");

    assertThat(status).isEqualTo(200);
    ReceivedSpan span = trace(traceId, 1).get(0);
    assertThat(span.parentSpanId()).isEqualTo(callerSpan);
    assertThat(span.name()).isEqualTo("GET /v1/tenants/{tenantId}");
    assertThat(span.kind()).isEqualTo(SERVER);
    assertThat(span.serviceName()).isEqualTo("turnpike-control-plane");
    assertThat(span.statusCode()).isNotEqualTo(STATUS_ERROR);
    assertThat(span.attributes())
        .containsEntry("http.route", "/v1/tenants/{tenantId}")
        .containsEntry("http.request.method", "GET")
        .containsEntry("http.response.status_code", "200")
        .containsEntry("turnpike.tenant_id", tenant)
        .containsKey("turnpike.request_id");
  }

  @Test
  void a_refused_request_keeps_its_route_name_and_is_not_an_error() throws Exception {
    String traceId = newId(16);
    String otherTenant = UUID.randomUUID().toString();

    int status =
        get("/v1/tenants/" + otherTenant + "/apis", "00-" + traceId + "-" + newId(8) + "-01");

    assertThat(status).isEqualTo(404);
    ReceivedSpan span = trace(traceId, 1).get(0);
    assertThat(span.name()).isEqualTo("GET /v1/tenants/{tenantId}/apis");
    assertThat(span.attributes()).containsEntry("http.response.status_code", "404");
    // A 4xx is the caller's: OpenTelemetry's HTTP server convention leaves the status unset.
    assertThat(span.statusCode()).isNotEqualTo(STATUS_ERROR);
  }

  @Test
  void a_path_no_route_matches_is_named_by_its_method_alone() throws Exception {
    String traceId = newId(16);

    int status = get("/v1/no-such-thing", "00-" + traceId + "-" + newId(8) + "-01");

    assertThat(status).isEqualTo(404);
    ReceivedSpan span = trace(traceId, 1).get(0);
    assertThat(span.name()).isEqualTo("GET");
    assertThat(span.attributes()).doesNotContainKey("http.route");
  }

  @Test
  void a_caller_that_did_not_sample_its_trace_gets_no_span() throws Exception {
    String unsampled = newId(16);
    String marker = newId(16);

    get("/v1/tenants", "00-" + unsampled + "-" + newId(8) + "-00");
    // A sampled request sent after it is exported; the unsampled one never is.
    get("/v1/tenants", "00-" + marker + "-" + newId(8) + "-01");

    trace(marker, 1);
    assertThat(collector.spans()).extracting(ReceivedSpan::traceId).doesNotContain(unsampled);
  }
}
