package dev.turnpike.metering.node;

import dev.turnpike.contracts.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics metering reads and writes when they are missing. */
final class TopicBootstrap {
  private TopicBootstrap() {}

  static void createMissing(MeteringSettings settings) {
    long timeoutMillis = settings.kafkaTimeout().toMillis();
    List<NewTopic> topics =
        List.of(
            new NewTopic(Topics.USAGE, settings.topicPartitions(), settings.replicationFactor()),
            new NewTopic(
                    Topics.QUOTA_STATE, settings.topicPartitions(), settings.replicationFactor())
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            // The latest decision per app is the standing; compaction keeps one per app.
            new NewTopic(
                    Topics.BILLING_STANDING,
                    settings.topicPartitions(),
                    settings.replicationFactor())
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    Map<String, Object> adminProps = new HashMap<>(settings.kafkaSecurity().clientProperties());
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
    adminProps.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMillis, 10_000));
    try (Admin admin = Admin.create(adminProps)) {
      for (var result : admin.createTopics(topics).values().entrySet()) {
        try {
          result.getValue().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at "
              + settings.kafkaBootstrapServers()
              + " did not answer within "
              + settings.kafkaTimeout()
              + " (TURNPIKE_KAFKA_BOOTSTRAP_SERVERS)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }
}
