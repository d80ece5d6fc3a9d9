package dev.turnpike.gateway.config;

import dev.turnpike.contracts.Topics;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The five compacted topics a gateway node builds its configuration from. Production uses {@link
 * #DEFAULT}; naming them here lets one Kafka cluster carry several environments and lets tests run
 * side by side on a shared broker without reading each other's records.
 */
public record ConfigTopics(
    String deployments, String keys, String plans, String quotaState, String domains) {

  /** The contract topic names from {@link Topics}. */
  public static final ConfigTopics DEFAULT =
      new ConfigTopics(
          Topics.DEPLOYMENTS, Topics.KEYS, Topics.PLANS, Topics.QUOTA_STATE, Topics.DOMAINS);

  public ConfigTopics {
    requireTopicName("deployments", deployments);
    requireTopicName("keys", keys);
    requireTopicName("plans", plans);
    requireTopicName("quotaState", quotaState);
    requireTopicName("domains", domains);
    if (new HashSet<>(List.of(deployments, keys, plans, quotaState, domains)).size() != 5) {
      throw new IllegalArgumentException(
          "Config topics must be five different topics, got "
              + List.of(deployments, keys, plans, quotaState, domains));
    }
  }

  /** The topics in a fixed order: deployments, keys, plans, quota state, domains. */
  public List<String> all() {
    return List.of(deployments, keys, plans, quotaState, domains);
  }

  private static void requireTopicName(String name, String value) {
    Objects.requireNonNull(value, () -> "Config topic '" + name + "' is required");
    if (value.isBlank()) {
      throw new IllegalArgumentException("Config topic '" + name + "' must not be blank");
    }
  }
}
