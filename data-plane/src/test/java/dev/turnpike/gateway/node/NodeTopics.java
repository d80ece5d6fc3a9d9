package dev.turnpike.gateway.node;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The topics a gateway node reads and writes, made on a test broker as the platform makes them, and
 * the stage the node tests deploy to them.
 */
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

  /** A mock integration that answers 200 with no pets. */
  static IntegrationConfig noPets() {
    return new IntegrationConfig(
        IntegrationType.MOCK,
        null,
        null,
        0,
        0,
        null,
        new MockResponse(200, Map.of(), "{\"pets\":[]}"));
  }

  /** Tenant acme's API pets at stage prod, with {@code routes}, as the control plane deploys it. */
  static DeploymentSnapshot acmePetsProd(String deploymentId, List<RouteConfig> routes) {
    return DeploymentSnapshot.builder()
        .tenantId("t-acme")
        .tenantSlug("acme")
        .apiId("api-pets")
        .apiSlug("pets")
        .stage("prod")
        .deploymentId(deploymentId)
        .hash("0".repeat(64))
        .deployedAt(Instant.now())
        .routes(routes)
        .build();
  }
}
