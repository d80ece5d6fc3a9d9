package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.logging.LogSettings;
import dev.turnpike.logging.impl.LogConfigurator;
import dev.turnpike.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gateway's log lines about a request carry that request's id, tenant, API, stage and trace id
 * in the MDC, written as JSON. The failing integration here is an egress refusal (a backend name
 * that resolves to loopback, under the strict policy): the gateway logs it in a callback after the
 * asynchronous name lookup, when its one event loop may already be serving another request.
 */
class RequestLogTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final Vertx servers = Vertx.vertx();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  OutputStreamAppender<ILoggingEvent> appender;
  Logger gatewayLogger;
  RecordingBackend backend;
  GatewayRig gateway;

  @BeforeEach
  void start() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setOutputStream(out);
    appender.setEncoder(LogConfigurator.encoder(context, LogSettings.Format.JSON));
    appender.start();
    gatewayLogger = context.getLogger("dev.turnpike.gateway");
    gatewayLogger.addAppender(appender);
    backend = RecordingBackend.start(servers);
    gateway = GatewayRig.builder().egress(Map.of()).hosts(EgressAttackTest.HOSTS).start();
  }

  @AfterEach
  void stop() {
    gatewayLogger.detachAppender(appender);
    appender.stop();
    gateway.close();
    backend.close();
    GatewayRig.await(servers.close());
  }

  /** Routes {@code /r0 .. /r{n-1}}, each its own integration to a name that is loopback. */
  void loadRefusedRoutes(int n) {
    List<RouteConfig> routes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      routes.add(route("GET", "/r" + i, false, proxy("http://evil.test:" + backend.port() + "/")));
    }
    gateway.load(List.of(deployment("prod", routes)), List.of(), List.of());
  }

  static String traceparent(int i) {
    return String.format("00-%032x-00f067aa0ba902b7-01", 0xabc000L + i);
  }

  /** Sends every request before awaiting any; the request id each got, by route index. */
  List<String> sendTogether(int n) {
    HttpClient client = gateway.newClient(new HttpClientOptions());
    List<Future<String>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String trace = traceparent(i);
      RequestOptions options =
          new RequestOptions().setMethod(HttpMethod.GET).setURI("/acme/pets/prod/r" + i);
      sent.add(
          client
              .request(options)
              .compose(request -> request.putHeader("traceparent", trace).send())
              .compose(
                  response ->
                      response
                          .body()
                          .map(
                              body -> {
                                assertThat(response.statusCode()).isEqualTo(500);
                                return response.getHeader(GatewayRequestHandler.REQUEST_ID_HEADER);
                              })));
    }
    GatewayRig.await(Future.all(sent));
    GatewayRig.await(client.close());
    return sent.stream().map(Future::result).toList();
  }

  /**
   * The log lines once {@code count} are there: a failure's line may be written after its response
   * went out, so the client can have its answer before the line exists.
   */
  List<JsonNode> lines(int count) throws Exception {
    Await.until(
        Duration.ofSeconds(10),
        () -> out.toString(StandardCharsets.UTF_8).lines().count() >= count,
        count + " log lines");
    return lines();
  }

  List<JsonNode> lines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Nested
  class Integration_failure {
    @Test
    void logs_a_json_line_with_the_request_id_tenant_api_stage_and_trace_id() throws Exception {
      loadRefusedRoutes(1);

      String requestId = sendTogether(1).get(0);

      List<JsonNode> lines = lines(1);
      assertThat(lines).hasSize(1);
      JsonNode line = lines.get(0);
      assertThat(line.path("level").asText()).isEqualTo("WARN");
      assertThat(line.path("formattedMessage").asText()).startsWith("egress refused for");
      JsonNode mdc = line.path("mdc");
      assertThat(mdc.path("requestId").asText()).isEqualTo(requestId);
      assertThat(mdc.path("tenant").asText()).isEqualTo(Fixtures.TENANT_ID);
      assertThat(mdc.path("apiId").asText()).isEqualTo(Fixtures.API_ID);
      assertThat(mdc.path("stage").asText()).isEqualTo("prod");
      assertThat(mdc.path("traceId").asText()).isEqualTo(traceparent(0).substring(3, 35));
    }

    @Test
    void a_later_request_without_a_trace_id_carries_none_of_an_earlier_ones() throws Exception {
      loadRefusedRoutes(2);
      String first = sendTogether(1).get(0);

      HttpClient client = gateway.newClient(new HttpClientOptions());
      String second =
          GatewayRig.await(
              client
                  .request(HttpMethod.GET, "/acme/pets/prod/r1")
                  .compose(request -> request.send())
                  .map(response -> response.getHeader(GatewayRequestHandler.REQUEST_ID_HEADER)));
      GatewayRig.await(client.close());

      List<JsonNode> lines = lines(2);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0).path("mdc").path("requestId").asText()).isEqualTo(first);
      assertThat(lines.get(1).path("threadName").asText())
          .isEqualTo(lines.get(0).path("threadName").asText());
      assertThat(lines.get(1).path("mdc").path("requestId").asText()).isEqualTo(second);
      assertThat(lines.get(1).path("mdc").has("traceId")).isFalse();
    }
  }

  /**
   * Two requests to a backend that never answers, each timing out in its own callback after the
   * gateway's one event loop has started both: a thread-local MDC set when a request starts would
   * hold the second request's fields when the first one's timeout is logged.
   */
  @Nested
  class Interleaved_requests {
    final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    HttpServer silent;

    @BeforeEach
    void startSilentBackend() throws Exception {
      silent =
          GatewayRig.await(
              servers.createHttpServer().requestHandler(held::add).listen(0, "127.0.0.1"));
      gateway.close();
      // The trial policy: this backend listens on loopback.
      gateway = GatewayRig.builder().start();
      String uri = "http://127.0.0.1:" + silent.actualPort() + "/";
      gateway.load(
          List.of(
              deployment(
                  "prod",
                  List.of(
                      route("GET", "/r0", false, proxy(uri, 500)),
                      route("GET", "/r1", false, proxy(uri, 500))))),
          List.of(),
          List.of());
      // The integration-failure line is a debug one.
      gatewayLogger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopSilentBackend() {
      gatewayLogger.setLevel(null);
      GatewayRig.await(silent.close());
    }

    @Test
    void never_carry_each_others_ids() throws Exception {
      HttpClient client = gateway.newClient(new HttpClientOptions());
      List<Future<String>> sent = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String trace = traceparent(i);
        sent.add(
            client
                .request(HttpMethod.GET, "/acme/pets/prod/r" + i)
                .compose(request -> request.putHeader("traceparent", trace).send())
                .compose(
                    response -> {
                      assertThat(response.statusCode()).isEqualTo(504);
                      return response
                          .body()
                          .map(
                              ignored ->
                                  response.getHeader(GatewayRequestHandler.REQUEST_ID_HEADER));
                    }));
      }
      GatewayRig.await(Future.all(sent));
      GatewayRig.await(client.close());
      assertThat(held).as("both requests reached the backend before either timed out").hasSize(2);

      List<JsonNode> lines = lines(2);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0).path("threadName").asText())
          .isEqualTo(lines.get(1).path("threadName").asText());
      for (int i = 0; i < 2; i++) {
        String requestId = sent.get(i).result();
        JsonNode line =
            lines.stream()
                .filter(l -> l.path("formattedMessage").asText().contains(requestId))
                .findFirst()
                .orElseThrow();
        assertThat(line.path("level").asText()).isEqualTo("DEBUG");
        assertThat(line.path("mdc").path("requestId").asText()).isEqualTo(requestId);
        assertThat(line.path("mdc").path("traceId").asText())
            .isEqualTo(traceparent(i).substring(3, 35));
        assertThat(line.path("mdc").path("tenant").asText()).isEqualTo(Fixtures.TENANT_ID);
      }
    }
  }
}
