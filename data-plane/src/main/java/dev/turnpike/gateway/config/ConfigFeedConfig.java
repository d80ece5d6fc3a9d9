package dev.turnpike.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How a gateway node reads its configuration from Kafka.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param topics the compacted topics to read, usually {@link ConfigTopics#DEFAULT}
 * @param snapshotFile where the last good configuration is kept for a cold start without Kafka
 * @param snapshotInterval the shortest time between two writes of {@code snapshotFile}
 * @param coldStartGrace how long a node started from {@code snapshotFile} waits to catch up with
 *     Kafka before it reports ready on the snapshot alone
 * @param pollTimeout the longest one Kafka poll blocks; bounds how stale the lag and readiness
 *     checks can get while nothing arrives
 * @param topicRefreshInterval how often a topic that did not exist is looked for again
 * @param consumerOverrides extra consumer properties (security, client id, fetch sizes); the
 *     properties the feed depends on ({@link #MANAGED_CONSUMER_PROPERTIES}) are refused
 */
public record ConfigFeedConfig(
    String bootstrapServers,
    ConfigTopics topics,
    Path snapshotFile,
    Duration snapshotInterval,
    Duration coldStartGrace,
    Duration pollTimeout,
    Duration topicRefreshInterval,
    Map<String, String> consumerOverrides) {

  /**
   * Consumer properties the feed sets itself: it reads by assignment without a group, never
   * commits, must not auto-create a topic (it would not be compacted), and always starts from the
   * beginning.
   */
  public static final Set<String> MANAGED_CONSUMER_PROPERTIES =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "group.instance.id",
          "enable.auto.commit",
          "key.deserializer",
          "value.deserializer",
          "allow.auto.create.topics",
          "auto.offset.reset");

  public ConfigFeedConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers is required");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    Objects.requireNonNull(topics, "topics is required (ConfigTopics.DEFAULT in production)");
    Objects.requireNonNull(snapshotFile, "snapshotFile is required");
    if (snapshotFile.getFileName() == null) {
      throw new IllegalArgumentException("snapshotFile must name a file, got " + snapshotFile);
    }
    requirePositive("snapshotInterval", snapshotInterval);
    requirePositive("coldStartGrace", coldStartGrace);
    requirePositive("pollTimeout", pollTimeout);
    requirePositive("topicRefreshInterval", topicRefreshInterval);
    Objects.requireNonNull(consumerOverrides, "consumerOverrides is required (may be empty)");
    consumerOverrides = Map.copyOf(consumerOverrides);
    Set<String> managed = new TreeSet<>(consumerOverrides.keySet());
    managed.retainAll(MANAGED_CONSUMER_PROPERTIES);
    if (!managed.isEmpty()) {
      throw new IllegalArgumentException(
          "consumerOverrides must not set " + managed + ": the config feed manages them");
    }
  }

  /**
   * Production defaults: the contract topics, a snapshot at most every 30 s, a 10 s cold-start
   * grace, 500 ms polls and a look for missing topics every 5 s.
   */
  public static ConfigFeedConfig defaults(String bootstrapServers, Path snapshotFile) {
    return new ConfigFeedConfig(
        bootstrapServers,
        ConfigTopics.DEFAULT,
        snapshotFile,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofMillis(500),
        Duration.ofSeconds(5),
        Map.of());
  }

  /**
   * The consumer properties: {@code read_committed}, so a control-plane relay that writes
   * transactionally never leaks an aborted change, then the overrides, then what the feed manages.
   */
  public Properties consumerProperties() {
    Properties props = new Properties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(consumerOverrides);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, () -> name + " is required");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
