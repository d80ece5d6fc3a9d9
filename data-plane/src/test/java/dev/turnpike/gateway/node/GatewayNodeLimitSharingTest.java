package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes on the same Kafka share the limits: a second node halves every limit, and its goodbye gives
 * the whole limit back at once.
 */
class GatewayNodeLimitSharingTest extends AbstractGatewayNodeTest {
  @BeforeAll
  void serving() {
    awaitServing("/acme/pets/prod/pets");
  }

  @Test
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
}
