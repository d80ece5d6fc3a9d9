package dev.turnpike.controlplane.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node in-process KRaft Kafka whose broker can be stopped and started again on the same
 * address with its log intact, to test what survives a Kafka restart. (The shared kit's broker
 * cannot be restarted.)
 */
public final class RestartableKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private RestartableKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static RestartableKafka start() {
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(false)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      KafkaClusterTestKit cluster =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new RestartableKafka(cluster);
    } catch (Exception e) {
      throw new IllegalStateException("in-process Kafka did not start", e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public void stopBroker() {
    cluster.brokers().values().forEach(broker -> broker.shutdown());
    cluster.brokers().values().forEach(broker -> broker.awaitShutdown());
  }

  public void startBroker() {
    try {
      cluster.brokers().values().forEach(broker -> broker.startup());
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      throw new IllegalStateException("broker did not restart", e);
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
