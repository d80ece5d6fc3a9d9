package dev.turnpike.gateway.node;

import dev.turnpike.contracts.Topics;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.util.List;

/** The topics a gateway node reads and writes, made on a test broker as the platform makes them. */
final class NodeTopics {
  private NodeTopics() {}

  /** The compacted config topics (one partition each) and the usage topic. */
  static void create(KafkaBroker kafka, int usagePartitions) {
    for (String topic :
        List.of(Topics.DEPLOYMENTS, Topics.KEYS, Topics.PLANS, Topics.QUOTA_STATE)) {
      kafka.createTopic(topic, 1, true);
    }
    kafka.createTopic(Topics.USAGE, usagePartitions, false);
  }
}
