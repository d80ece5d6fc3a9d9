package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole gateway node against a real Kafka: config arrives through the compacted topics, usage
 * events leave through the usage topic, and the node survives Kafka going away. The tests run in
 * order because the last one takes Kafka down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayNodeTest {
  static final String KEY = "tpk_nodetest000000000000000000000000000000";
  static final String TENANT = "t-acme";
  static final String API = "api-pets";

  @TempDir static Path dataDir;
  KafkaBroker kafka;
  KafkaProducer<String, byte[]> producer;
  GatewayNode node;
  FunctionHost function;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    kafka = KafkaBroker.start();
    NodeTopics.create(kafka, 3);
    producer = kafka.newProducer();
    publish(
        Topics.DEPLOYMENTS,
        Topics.deploymentKey(TENANT, API, "prod"),
        DeploymentSnapshot.CODEC.encode(deployment("/pets")));
    publish(Topics.PLANS, Topics.planKey(TENANT, "gold"), PlanRecord.CODEC.encode(plan()));
    publish(Topics.KEYS, ApiKeyHash.sha256Hex(KEY), KeyRecord.CODEC.encode(key(KeyStatus.ENABLED)));
    function =
        FunctionHost.serving(
            APIGatewayProxyRequestEvent.class,
            APIGatewayProxyResponseEvent.class,
            (event, context) ->
                new APIGatewayProxyResponseEvent()
                    .withStatusCode(201)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(
                        "{\"order\":\""
                            + event.getPathParameters().get("id")
                            + "\",\"stage\":\""
                            + event.getRequestContext().getStage()
                            + "\"}"));
    node = startNode(kafka.bootstrapServers());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    function.close();
    producer.close();
    kafka.close();
  }

  GatewayNode startNode(String bootstrap) {
    return startNode(bootstrap, dataDir);
  }

  GatewayNode startNode(String bootstrap, Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_GATEWAY_PORT", "0");
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", "0");
    env.put("TURNPIKE_GATEWAY_HOST", "127.0.0.1");
    env.put("TURNPIKE_GATEWAY_EVENT_LOOPS", "2");
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.toString());
    env.put("TURNPIKE_GATEWAY_COLD_START_GRACE_MS", "1500");
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    // A departed node's heartbeat expires only after a minute here, so a limit given back sooner
    // can only have come from the node's goodbye, however slow a loaded machine is.
    env.put("TURNPIKE_GATEWAY_NODE_EXPIRY_MS", "60000");
    // The function host is on loopback: an operator's grant of its one port, as for a private one.
    env.put("TURNPIKE_EGRESS_ALLOW", "127.0.0.1/32:" + function.port());
    return GatewayNode.start(NodeSettings.fromEnvironment(env))
        .toCompletionStage()
        .toCompletableFuture()
        .join();
  }

  static DeploymentSnapshot deployment(String... paths) {
    var mock =
        new IntegrationConfig(
            IntegrationType.MOCK,
            null,
            null,
            0,
            0,
            null,
            new MockResponse(200, Map.of(), "{\"pets\":[]}"));
    List<RouteConfig> routes = new java.util.ArrayList<>();
    for (String path : paths) {
      routes.add(new RouteConfig("r" + path, "GET", path, true, mock));
    }
    return DeploymentSnapshot.builder()
        .tenantId(TENANT)
        .tenantSlug("acme")
        .apiId(API)
        .apiSlug("pets")
        .stage("prod")
        .deploymentId("dep-" + paths.length)
        .hash("0".repeat(64))
        .deployedAt(Instant.now())
        .routes(routes)
        .build();
  }

  static PlanRecord plan() {
    return new PlanRecord(
        1, TENANT, "gold", "Gold", null, null, List.of(new PlanStage(API, "prod", null, Map.of())));
  }

  static KeyRecord key(KeyStatus status) {
    return new KeyRecord(
        1,
        ApiKeyHash.sha256Hex(KEY),
        "key-1",
        "tpk_node",
        TENANT,
        "app-1",
        List.of("gold"),
        status,
        null);
  }

  void publish(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  HttpResponse<String> get(GatewayNode gateway, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("x-api-key", KEY)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  int admin(GatewayNode gateway, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  boolean statusIs(GatewayNode gateway, String path, int status) {
    try {
      return get(gateway, path).statusCode() == status;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  @Order(1)
  void becomes_ready_and_serves_the_config_published_to_kafka() throws Exception {
    Await.until(Duration.ofSeconds(30), () -> node.ready(), "node.ready()");
    assertThat(admin(node, "/ready")).isEqualTo(200);
    assertThat(admin(node, "/health")).isEqualTo(200);
    var response = get(node, "/acme/pets/prod/pets");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"pets\":[]}");
  }

  @Test
  @Order(2)
  void a_new_route_and_a_revoked_key_apply_without_a_restart() throws Exception {
    publish(
        Topics.DEPLOYMENTS,
        Topics.deploymentKey(TENANT, API, "prod"),
        DeploymentSnapshot.CODEC.encode(deployment("/pets", "/toys")));
    long routeMillis =
        Await.until(
            Duration.ofSeconds(10),
            () -> statusIs(node, "/acme/pets/prod/toys", 200),
            "statusIs(node, '/acme/pets/prod/toys', 200)");

    publish(Topics.KEYS, ApiKeyHash.sha256Hex(KEY), KeyRecord.CODEC.encode(key(KeyStatus.REVOKED)));
    long revokeMillis =
        Await.until(
            Duration.ofSeconds(10),
            () -> statusIs(node, "/acme/pets/prod/pets", 403),
            "statusIs(node, '/acme/pets/prod/pets', 403)");

    publish(Topics.KEYS, ApiKeyHash.sha256Hex(KEY), KeyRecord.CODEC.encode(key(KeyStatus.ENABLED)));
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, "/acme/pets/prod/pets", 200),
        "statusIs(node, '/acme/pets/prod/pets', 200)");
    System.out.printf(
        "config propagation: new route %d ms, key revocation %d ms%n", routeMillis, revokeMillis);
    assertThat(routeMillis).isLessThan(10_000);
  }

  @Test
  @Order(3)
  void every_request_becomes_one_usage_event_in_kafka() throws Exception {
    Set<String> requestIds = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      requestIds.add(
          get(node, "/acme/pets/prod/pets").headers().firstValue("x-amzn-RequestId").orElseThrow());
    }
    var records = kafka.readAll(Topics.USAGE, Integer.MAX_VALUE, Duration.ofSeconds(5));
    Set<String> eventIds = new HashSet<>();
    records.forEach(r -> eventIds.add(UsageEventDecoder.decode(r.value()).eventId().toString()));
    assertThat(eventIds).containsAll(requestIds);
  }

  @Test
  @Order(4)
  void obeys_the_quota_state_metering_publishes() throws Exception {
    var quota =
        new dev.turnpike.contracts.config.QuotaLimit(
            1_000, 0, dev.turnpike.contracts.config.QuotaPeriod.DAY);
    publish(
        Topics.PLANS,
        Topics.planKey(TENANT, "gold"),
        PlanRecord.CODEC.encode(
            new PlanRecord(
                1,
                TENANT,
                "gold",
                "Gold",
                null,
                quota,
                List.of(new PlanStage(API, "prod", null, Map.of())))));
    Instant dayStart = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    String quotaKey = Topics.quotaKey("key-1", "gold");
    publish(Topics.QUOTA_STATE, quotaKey, quotaState(dayStart, 1_000, true));
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, "/acme/pets/prod/pets", 429),
        "statusIs(node, '/acme/pets/prod/pets', 429)");
    assertThat(get(node, "/acme/pets/prod/pets").body())
        .isEqualTo("{\"message\":\"Limit Exceeded\"}");

    publish(Topics.QUOTA_STATE, quotaKey, quotaState(dayStart, 10, false));
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, "/acme/pets/prod/pets", 200),
        "statusIs(node, '/acme/pets/prod/pets', 200)");
  }

  static byte[] quotaState(Instant dayStart, long used, boolean exceeded) {
    return dev.turnpike.contracts.quota.QuotaState.CODEC.encode(
        new dev.turnpike.contracts.quota.QuotaState(
            1,
            TENANT,
            "key-1",
            "gold",
            dev.turnpike.contracts.config.QuotaPeriod.DAY,
            dayStart,
            dayStart.plus(Duration.ofDays(1)),
            1_000,
            used,
            exceeded,
            Instant.now()));
  }

  @Test
  @Order(5)
  void metrics_count_requests_per_tenant_api_and_stage() throws Exception {
    get(node, "/acme/pets/prod/pets");
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains(
            "turnpike_gateway_requests_total{api=\"pets\",release=\"base\",stage=\"prod\",status=\"2xx\",tenant=\"acme\"}")
        .contains("turnpike_gateway_request_latency_seconds_bucket")
        .contains("turnpike_config_version");
  }

  @Test
  @Order(6)
  void an_aws_proxy_route_published_through_kafka_invokes_its_function() throws Exception {
    DeploymentSnapshot withFunction = deployment("/pets", "/toys");
    List<RouteConfig> routes = new java.util.ArrayList<>(withFunction.routes());
    routes.add(
        new RouteConfig(
            "r-orders",
            "POST",
            "/orders/{id}",
            true,
            IntegrationConfig.awsProxy(
                new FunctionTarget("orders", function.invokeUrl(), 5_000, "1.0"), 0)));
    publish(
        Topics.DEPLOYMENTS,
        Topics.deploymentKey(TENANT, API, "prod"),
        DeploymentSnapshot.CODEC.encode(
            DeploymentSnapshot.builder()
                .tenantId(TENANT)
                .tenantSlug("acme")
                .apiId(API)
                .apiSlug("pets")
                .stage("prod")
                .deploymentId("dep-fn")
                .hash("0".repeat(64))
                .deployedAt(Instant.now())
                .routes(routes)
                .build()));
    HttpRequest order =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/acme/pets/prod/orders/42"))
            .header("x-api-key", KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1}"))
            .build();
    Await.until(
        Duration.ofSeconds(10),
        () -> {
          try {
            return http.send(order, HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
          } catch (Exception e) {
            return false;
          }
        },
        "POST /orders/42 answered by the function");

    HttpResponse<String> response = http.send(order, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"order\":\"42\",\"stage\":\"prod\"}");
    String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
    Await.until(
        Duration.ofSeconds(10),
        () ->
            kafka.readAll(Topics.USAGE, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                .map(r -> UsageEventDecoder.decode(r.value()))
                .anyMatch(
                    event ->
                        event.eventId().toString().equals(requestId)
                            && event.status() == 201
                            && "POST /orders/{id}".equals(event.routeKey())),
        "the function call's usage event in Kafka");
  }

  @Test
  @Order(7)
  void a_second_node_halves_every_limit_until_it_leaves(@TempDir Path secondDir) {
    Await.until(Duration.ofSeconds(30), () -> node.ready(), "node.ready()");
    GatewayNode second = startNode(kafka.bootstrapServers(), secondDir);
    try {
      Await.until(
          Duration.ofSeconds(30),
          () -> accountLimit(node).equals(new ThrottleLimit(5_000, 2_500)),
          () -> "the first node to share the account limit with the second: " + accountLimit(node));
      assertThat(node.metrics().get("turnpike.gateway.cluster.nodes").gauge().value()).isEqualTo(2);
    } finally {
      second.close();
    }
    // The second node's goodbye gives the first node the whole limit back at once: well within
    // the minute its heartbeat takes to expire here (CI at load 4 once took over 4 s to read the
    // goodbye, so the bound is generous; what it tells apart is goodbye from expiry).
    Await.until(
        Duration.ofSeconds(30),
        () -> accountLimit(node).equals(new ThrottleLimit(10_000, 5_000)),
        () -> "the first node to take the whole account limit back: " + accountLimit(node));
  }

  /** This node's share of the account limit (10000/s, burst 5000 by default) on the acme stage. */
  private static ThrottleLimit accountLimit(GatewayNode node) {
    return node.runtime().stages().values().iterator().next().accountLimiter().limit();
  }

  @Test
  @Order(8)
  void cold_starts_from_its_snapshot_while_kafka_is_down() throws Exception {
    String bootstrap = kafka.bootstrapServers();
    node.close();
    node = null;
    kafka.close();

    GatewayNode restarted = startNode(bootstrap);
    try {
      Await.until(Duration.ofSeconds(20), restarted::ready, "node ready");
      var response = get(restarted, "/acme/pets/prod/toys");
      assertThat(response.statusCode()).isEqualTo(200);
    } finally {
      restarted.close();
    }
    kafka = KafkaBroker.start();
  }
}
