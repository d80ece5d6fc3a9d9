package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node that starts while Kafka is down serves the config of its snapshot file, written when the
 * node before it stopped.
 */
class GatewayNodeColdStartTest extends AbstractGatewayNodeTest {
  @Test
  void cold_starts_from_its_snapshot_while_kafka_is_down() throws Exception {
    // The route the snapshot must hold, beyond the one the node started with.
    publishDeployment("/pets", "/toys");
    awaitServing("/acme/pets/prod/toys");
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
