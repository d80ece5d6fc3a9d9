package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.http.RawHttpClient;
import dev.turnpike.testkit.http.SlowClients;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and idle clients cannot hold a gateway node's listeners: the traffic port and the admin port
 * each cut off a client that sends its headers too slowly (Slowloris), close idle keep-alive
 * connections, and refuse connections over their cap, while everyone else is served. Timeouts are
 * short here so the tests are quick; the defaults are in {@link NodeSettings}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
  static final Duration HEADER_READ = Duration.ofMillis(500);
  static final Duration IDLE = Duration.ofMillis(2_000);
  static final Duration GIVE_UP = SlowClients.GIVE_UP;
  static final Duration ANSWER = SlowClients.ANSWER;

  @TempDir static Path dataDir;
  GatewayNode node;

  @BeforeAll
  void start() throws Exception {
    node = start(Map.of());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Nested
  class TrafficPort {
    @Test
    void a_slowloris_client_is_cut_off_after_the_header_read_timeout_while_others_are_served() {
      SlowClients.assertCutOffWhileOthersAreServed(
          node.port(), "/acme/pets/prod/pets", 403, HEADER_READ);
    }

    @Test
    void a_slowloris_client_on_a_kept_alive_connections_next_request_is_cut_off() {
      try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", node.port())) {
        assertThat(client.get("/acme/pets/prod/pets", "localhost", ANSWER).status()).isEqualTo(403);
        RawHttpClient.Trickle trickle =
            client.trickle(
                RawHttpClient.endlessHeaders("/acme/pets/prod/pets", "localhost"),
                SlowClients.TRICKLE,
                GIVE_UP);
        SlowClients.assertCutOff(trickle, HEADER_READ);
      }
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_after_the_header_read_timeout() {
      try (RawHttpClient silent = RawHttpClient.connect("127.0.0.1", node.port())) {
        Duration closedAfter = silent.closedByServerWithin(GIVE_UP);
        assertThat(closedAfter).as("the silent connection was closed").isNotNull();
        assertThat(closedAfter).isLessThan(IDLE);
      }
    }

    @Test
    void an_idle_kept_alive_connection_is_closed_after_the_idle_timeout_not_before() {
      try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", node.port())) {
        assertThat(client.get("/acme/pets/prod/pets", "localhost", ANSWER).status()).isEqualTo(403);
        // Quiet for longer than the header read timeout: that deadline is for headers in progress.
        assertThat(client.closedByServerWithin(HEADER_READ.multipliedBy(2))).isNull();
        assertThat(client.get("/acme/pets/prod/pets", "localhost", ANSWER).status()).isEqualTo(403);
        Duration closedAfter = client.closedByServerWithin(GIVE_UP);
        assertThat(closedAfter).as("the idle connection was closed").isNotNull();
        assertThat(closedAfter)
            .isGreaterThan(IDLE.minusMillis(300))
            .isLessThan(IDLE.plusSeconds(2));
      }
    }

    @Test
    void over_the_connection_cap_new_connections_are_closed_and_existing_ones_keep_working()
        throws Exception {
      try (GatewayNode capped = start(Map.of("TURNPIKE_GATEWAY_MAX_CONNECTIONS", "3"))) {
        SlowClients.assertConnectionCap(capped.port(), 3, "/acme/pets/prod/pets", 403);
      }
    }
  }

  @Nested
  class AdminPort {
    @Test
    void a_slowloris_client_is_cut_off_after_the_header_read_timeout_while_others_are_served() {
      SlowClients.assertCutOffWhileOthersAreServed(node.adminPort(), "/health", 200, HEADER_READ);
    }

    @Test
    void over_the_connection_cap_new_connections_are_closed_and_existing_ones_keep_working()
        throws Exception {
      try (GatewayNode capped = start(Map.of("TURNPIKE_GATEWAY_ADMIN_MAX_CONNECTIONS", "2"))) {
        SlowClients.assertConnectionCap(capped.adminPort(), 2, "/health", 200);
      }
    }
  }

  GatewayNode start(Map<String, String> overrides) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_GATEWAY_HOST", "127.0.0.1");
    env.put("TURNPIKE_GATEWAY_PORT", "0");
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", "0");
    env.put("TURNPIKE_GATEWAY_EVENT_LOOPS", "2");
    // No Kafka here: the node starts without config, so every stage is unknown (403).
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort());
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.resolve("node-" + System.nanoTime()).toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    for (String prefix : List.of("TURNPIKE_GATEWAY_", "TURNPIKE_GATEWAY_ADMIN_")) {
      env.put(prefix + "HEADER_READ_TIMEOUT_MS", Long.toString(HEADER_READ.toMillis()));
      env.put(prefix + "IDLE_TIMEOUT_MS", Long.toString(IDLE.toMillis()));
    }
    env.putAll(overrides);
    return GatewayNode.start(NodeSettings.fromEnvironment(env))
        .toCompletionStage()
        .toCompletableFuture()
        .join();
  }

  static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
