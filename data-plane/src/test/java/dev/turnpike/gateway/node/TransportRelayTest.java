package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proxied requests with bodies, many at once on one event loop, on each transport: every one comes
 * back whole from a keep-alive backend. Bodies and answers of more than a few hundred bytes make
 * Netty write each message as several buffers at once (a gathering write) on many connections of
 * the same loop between two io_uring submissions: what Netty 4.2.12's io_uring got wrong under
 * {@code -ea} (a false assertion, netty/netty#16307), turning POSTs into 504s and answers into
 * closed connections; 4.2.18 passes, with the test JVM's {@code -ea} on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportRelayTest {
  static final int CLIENTS = 24;
  static final int REQUESTS_PER_CLIENT = 25;
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  @org.junit.jupiter.api.io.TempDir static Path dataDir;
  KafkaBroker kafka;
  Vertx backendVertx;
  HttpServer echo;
  final HttpClient probe = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    kafka = KafkaBroker.start();
    NodeTopics.create(kafka, 1);
    backendVertx = Vertx.vertx();
    // Answers with the request's body: a body lost or cut on the way in shows on the way out.
    echo =
        backendVertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(body -> request.response().end(body))
                        .onFailure(e -> request.response().setStatusCode(400).end()))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    try (KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.DEPLOYMENTS,
                  Topics.deploymentKey("t-acme", "api-pets", "prod"),
                  DeploymentSnapshot.CODEC.encode(
                      deployment("http://127.0.0.1:" + echo.actualPort()))))
          .get();
    }
  }

  @AfterAll
  void stop() {
    if (backendVertx != null) {
      backendVertx.close().toCompletionStage().toCompletableFuture().join();
    }
    kafka.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void concurrent_requests_with_bodies_come_back_whole_from_a_keep_alive_backend(String transport)
      throws Exception {
    try (GatewayNode node = start(transport)) {
      assertThat(node.describe()).containsEntry("transport", transport);
      Map<String, Integer> outcomes = new ConcurrentHashMap<>();
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Executors.newFixedThreadPool(4))
              .build();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          running.add(
              clients.submit(
                  () -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                      outcomes.merge(exchange(http, node.port(), client, r), 1, Integer::sum);
                    }
                    return null;
                  }));
        }
        for (Future<?> each : running) {
          each.get(2, TimeUnit.MINUTES);
        }
      } finally {
        clients.shutdownNow();
        http.shutdownNow();
      }
      assertThat(outcomes)
          .as("outcomes of %d POSTs on %s", CLIENTS * REQUESTS_PER_CLIENT, transport)
          .containsExactly(Map.entry("200 echoed", CLIENTS * REQUESTS_PER_CLIENT));
    }
  }

  /** One POST; what came back, as "200 echoed" when it is the body sent. */
  private static String exchange(HttpClient http, int port, int client, int request) {
    String body = ("client " + client + " request " + request + " ").repeat(40);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + "/acme/pets/prod/pets/"
                              + client
                              + "/orders"))
                  .timeout(ANSWER_TIMEOUT)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode()
          + (response.body().equals(body) ? " echoed" : " " + response.body());
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  private GatewayNode start(String transport) {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_GATEWAY_TRANSPORT", transport);
    env.put("TURNPIKE_GATEWAY_PORT", "0");
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", "0");
    env.put("TURNPIKE_GATEWAY_HOST", "127.0.0.1");
    // One loop: every client and backend connection shares it, as on a busy node's loops.
    env.put("TURNPIKE_GATEWAY_EVENT_LOOPS", "1");
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.resolve(transport).toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    // The echo backend listens on loopback: the one-machine trial egress policy reaches it.
    env.put("TURNPIKE_EGRESS_POLICY", "trial");
    GatewayNode node =
        GatewayNode.start(NodeSettings.fromEnvironment(env))
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    Await.until(Duration.ofSeconds(30), () -> ready(node), "node on " + transport + " ready");
    return node;
  }

  private boolean ready(GatewayNode node) {
    try {
      return probe
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + node.adminPort() + "/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static DeploymentSnapshot deployment(String backendUrl) {
    IntegrationConfig proxy =
        new IntegrationConfig(
            IntegrationType.HTTP_PROXY,
            "ANY",
            backendUrl + "/{proxy}",
            1000,
            10_000,
            Map.of(),
            null);
    return NodeTopics.acmePetsProd(
        "dep-relay", List.of(new RouteConfig("r-proxy", "ANY", "/{proxy+}", false, proxy)));
  }
}
