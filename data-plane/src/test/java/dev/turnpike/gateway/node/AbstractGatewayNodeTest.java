package dev.turnpike.gateway.node;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.function.FunctionHost;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole gateway node against a real Kafka, for the node tests to share: tenant acme's API pets at
 * stage prod (a mock {@code GET /pets}), the plan gold and one enabled key are published to the
 * config topics before the node starts, and a function host answers for AWS-proxy routes. Each
 * subclass gets a broker and a node of its own; its tests run in order, as each one goes on from
 * the state the one before left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractGatewayNodeTest {
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

  /** The stage with a mock {@code GET} route on each of {@code paths}. */
  static DeploymentSnapshot deployment(String... paths) {
    List<RouteConfig> routes = new ArrayList<>();
    for (String path : paths) {
      routes.add(new RouteConfig("r" + path, "GET", path, true, NodeTopics.noPets()));
    }
    return NodeTopics.acmePetsProd("dep-" + paths.length, routes);
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

  /** Publishes the stage with a mock {@code GET} route on each of {@code paths}. */
  void publishDeployment(String... paths) throws Exception {
    publish(
        Topics.DEPLOYMENTS,
        Topics.deploymentKey(TENANT, API, "prod"),
        DeploymentSnapshot.CODEC.encode(deployment(paths)));
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

  /**
   * Waits until the node serves {@code path} with the key: for tests that start from a node serving
   * its config, not of how it gets there.
   */
  void awaitServing(String path) {
    Await.until(Duration.ofSeconds(30), () -> node.ready(), "node.ready()");
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, path, 200),
        "statusIs(node, '" + path + "', 200)");
  }
}
