package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.testkit.http.RawHttpClient;
import dev.turnpike.testkit.http.SlowClients;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code TURNPIKE_GATEWAY_TRANSPORT}: a node runs its event loops on the transport it is given, and
 * serves the same on each; a value it does not know stops start-up naming the variable. The native
 * transports ship for Linux x86_64, the machines the project builds and runs on.
 */
class EventLoopTransportTest {
  @TempDir Path dataDir;

  @Nested
  class Settings {
    @Test
    void a_node_runs_on_the_best_transport_the_machine_can_run_unless_told_otherwise() {
      assertThat(NodeSettings.fromEnvironment(Map.of()).transport())
          .isEqualTo(EventLoopTransport.AUTO.resolved());
    }

    @Test
    void auto_runs_on_the_best_transport_the_machine_can_run() {
      EventLoopTransport best =
          EventLoopTransport.IO_URING.unavailability() == null
              ? EventLoopTransport.IO_URING
              : EventLoopTransport.EPOLL.unavailability() == null
                  ? EventLoopTransport.EPOLL
                  : EventLoopTransport.NIO;
      assertThat(
              NodeSettings.fromEnvironment(Map.of("TURNPIKE_GATEWAY_TRANSPORT", "auto"))
                  .transport())
          .isEqualTo(best);
    }

    @Test
    void auto_says_why_it_passed_over_a_transport_only_when_one_cannot_run() {
      EventLoopTransport chosen = EventLoopTransport.AUTO.resolved();
      String passedOver = EventLoopTransport.passedOver(chosen);
      if (chosen == EventLoopTransport.IO_URING) {
        assertThat(passedOver).isEmpty();
      } else {
        assertThat(passedOver).startsWith("io_uring: ");
      }
      assertThat(EventLoopTransport.passedOver(EventLoopTransport.IO_URING)).isEmpty();
    }

    @Test
    void reads_the_native_transports_by_their_names() {
      assertThat(transportOf("epoll")).isEqualTo(EventLoopTransport.EPOLL);
      assertThat(transportOf("IO_URING")).isEqualTo(EventLoopTransport.IO_URING);
      assertThat(transportOf("nio")).isEqualTo(EventLoopTransport.NIO);
    }

    @Test
    void an_unknown_transport_stops_start_up_naming_the_variable() {
      assertThatThrownBy(
              () -> NodeSettings.fromEnvironment(Map.of("TURNPIKE_GATEWAY_TRANSPORT", "kqueue")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "TURNPIKE_GATEWAY_TRANSPORT must be one of [auto, nio, epoll, io_uring]")
          .hasMessageContaining("'kqueue'");
    }

    private EventLoopTransport transportOf(String name) {
      return NodeSettings.fromEnvironment(Map.of("TURNPIKE_GATEWAY_TRANSPORT", name)).transport();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void a_node_on_each_transport_serves_traffic_and_cuts_off_slow_clients(String transport)
      throws Exception {
    try (GatewayNode node = start(transport)) {
      assertThat(node.describe()).containsEntry("transport", transport);
      try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", node.port())) {
        // No config (no Kafka): every stage is unknown, so 403, twice on one kept-alive connection.
        assertThat(client.get("/acme/pets/prod/pets", "localhost", SlowClients.ANSWER).status())
            .isEqualTo(403);
        assertThat(client.get("/acme/pets/prod/pets", "localhost", SlowClients.ANSWER).status())
            .isEqualTo(403);
      }
      try (RawHttpClient admin = RawHttpClient.connect("127.0.0.1", node.adminPort())) {
        assertThat(admin.get("/health", "localhost", SlowClients.ANSWER).status()).isEqualTo(200);
      }
      SlowClients.assertCutOffWhileOthersAreServed(
          node.port(), "/acme/pets/prod/pets", 403, Duration.ofMillis(500));
      SlowClients.assertCutOffWhileOthersAreServed(
          node.adminPort(), "/health", 200, Duration.ofMillis(500));
    }
  }

  private GatewayNode start(String transport) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_GATEWAY_TRANSPORT", transport);
    env.put("TURNPIKE_GATEWAY_HOST", "127.0.0.1");
    env.put("TURNPIKE_GATEWAY_PORT", "0");
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", "0");
    env.put("TURNPIKE_GATEWAY_EVENT_LOOPS", "1");
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort());
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.resolve(transport).toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    env.put("TURNPIKE_GATEWAY_HEADER_READ_TIMEOUT_MS", "500");
    env.put("TURNPIKE_GATEWAY_ADMIN_HEADER_READ_TIMEOUT_MS", "500");
    return GatewayNode.start(NodeSettings.fromEnvironment(env))
        .toCompletionStage()
        .toCompletableFuture()
        .join();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
