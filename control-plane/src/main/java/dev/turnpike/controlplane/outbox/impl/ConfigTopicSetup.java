package dev.turnpike.controlplane.outbox.impl;

import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.settings.KafkaSecurity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the compacted config topics the relay publishes to, sized for the largest record a change
 * may produce, and warns about existing ones that are smaller: the records between their size and
 * the limit would be accepted at deploy time and then parked by the relay. Existing topics are the
 * operator's and are not altered.
 */
public final class ConfigTopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigTopicSetup.class);

  /**
   * @param recordLimit sizes the topics it creates and is what existing ones are checked against
   */
  public record Topics(
      List<String> names, int partitions, short replicationFactor, ConfigRecordLimit recordLimit) {}

  private ConfigTopicSetup() {}

  public static void ensure(
      String bootstrapServers, KafkaSecurity security, Duration timeout, Topics topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, Object> props = new HashMap<>(security.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
    try (Admin admin = Admin.create(props)) {
      create(admin, timeout, topics);
      warnWhenSmaller(admin, timeout, topics);
    }
  }

  private static void create(Admin admin, Duration timeout, Topics topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, String> configs =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            Integer.toString(topics.recordLimit().topicMaxMessageBytes()));
    List<NewTopic> wanted =
        topics.names().stream()
            .map(
                name ->
                    new NewTopic(name, topics.partitions(), topics.replicationFactor())
                        .configs(configs))
            .toList();
    for (var result : admin.createTopics(wanted).values().values()) {
      try {
        result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  private static void warnWhenSmaller(Admin admin, Duration timeout, Topics topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<ConfigResource> resources =
        topics.names().stream()
            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
            .toList();
    int needed = topics.recordLimit().maxCompressedBytes();
    Map<ConfigResource, Config> described;
    try {
      described =
          admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof AuthorizationException)) {
        throw e;
      }
      // The check only warns: a login without DescribeConfigs (infra/kafka/acls.txt grants it)
      // must not stop the relay from publishing.
      LOG.warn(
          "cannot read the config topics' max.message.bytes to compare: {}",
          e.getCause().toString());
      return;
    }
    described.forEach(
        (resource, config) -> {
          ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
          if (entry != null && Integer.parseInt(entry.value()) < needed) {
            LOG.warn(
                "topic {} holds records up to {} bytes, less than the {} the config record limit"
                    + " (TURNPIKE_CP_MAX_CONFIG_RECORD_BYTES) needs: larger records will be"
                    + " accepted and then parked as failed; raise the topic's max.message.bytes",
                resource.name(),
                entry.value(),
                needed);
          }
        });
  }
}
