package dev.turnpike.gateway.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership topic as the nodes find it: created compacted with one partition by whichever node
 * gets there first, then read by every node from its partitions.
 */
final class MembershipTopic {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipTopic.class);

  private final KafkaMembership.Config config;

  MembershipTopic(KafkaMembership.Config config) {
    this.config = config;
  }

  /**
   * The topic's partitions, creating it first when it is missing; empty while Kafka is away.
   *
   * @throws InterruptException when the membership thread was interrupted (it is stopping)
   * @throws WakeupException when the consumer was woken (the membership is stopping)
   */
  List<TopicPartition> partitions(KafkaConsumer<String, byte[]> reader) {
    try {
      create();
      List<PartitionInfo> infos = reader.partitionsFor(config.topic(), Duration.ofSeconds(5));
      return infos.stream()
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("membership topic {} is not readable yet: {}", config.topic(), e.toString());
      return List.of();
    }
  }

  private void create() {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(config.topic(), Optional.of(1), Optional.empty())
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all()
          .get(5, TimeUnit.SECONDS);
      LOG.info("created the membership topic {}", config.topic());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        // Without the Create right the topic may still exist: reading it tells.
        LOG.debug("cannot create the membership topic {}", config.topic(), e.getCause());
      }
    } catch (TimeoutException e) {
      LOG.debug("creating the membership topic {} timed out", config.topic());
    } catch (InterruptedException e) {
      // Kafka's own form of it (which keeps the thread interrupted): the membership is stopping.
      throw new InterruptException(e);
    }
  }
}
