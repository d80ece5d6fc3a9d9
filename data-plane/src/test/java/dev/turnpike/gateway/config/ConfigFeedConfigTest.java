package dev.turnpike.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConfigFeedConfigTest {
  private static final Path FILE = Path.of("/var/lib/turnpike/config.json");

  private static ConfigFeedConfig with(
      String bootstrap, Duration interval, Duration grace, Map<String, String> overrides) {
    return new ConfigFeedConfig(
        bootstrap,
        ConfigTopics.DEFAULT,
        FILE,
        interval,
        grace,
        Duration.ofMillis(500),
        Duration.ofSeconds(5),
        overrides);
  }

  @Nested
  class Valid {
    @Test
    void defaults_read_the_contract_topics() {
      ConfigFeedConfig config = ConfigFeedConfig.defaults("kafka:9092", FILE);

      assertThat(config.topics()).isEqualTo(ConfigTopics.DEFAULT);
      assertThat(config.topics().all())
          .containsExactly(
              "turnpike.config.deployments",
              "turnpike.config.keys",
              "turnpike.config.plans",
              "turnpike.quota-state",
              "turnpike.config.domains");
    }

    @Test
    void overrides_for_security_and_tuning_are_kept() {
      ConfigFeedConfig config =
          with(
              "kafka:9092",
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              Map.of("security.protocol", "SSL", "max.poll.records", "100"));

      assertThat(config.consumerOverrides()).containsEntry("security.protocol", "SSL");
    }
  }

  @Nested
  class ConsumerProperties {
    @Test
    void read_committed_from_the_beginning_without_creating_topics() {
      ConfigFeedConfig config = ConfigFeedConfig.defaults("kafka:9092", FILE);

      assertThat(config.consumerProperties())
          .containsEntry("bootstrap.servers", "kafka:9092")
          .containsEntry("isolation.level", "read_committed")
          .containsEntry("auto.offset.reset", "earliest")
          .containsEntry("allow.auto.create.topics", "false")
          .doesNotContainKey("group.id");
    }

    @Test
    void overrides_apply_over_the_defaults() {
      ConfigFeedConfig config =
          with(
              "kafka:9092",
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              Map.of("isolation.level", "read_uncommitted", "client.id", "node-a"));

      assertThat(config.consumerProperties())
          .containsEntry("isolation.level", "read_uncommitted")
          .containsEntry("client.id", "node-a");
    }
  }

  @Nested
  class Invalid {
    @Test
    void a_blank_bootstrap_address_is_refused() {
      assertThatThrownBy(() -> with(" ", Duration.ofSeconds(1), Duration.ofSeconds(1), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bootstrapServers must not be blank");
    }

    @Test
    void a_duration_that_is_not_positive_is_refused_by_name() {
      assertThatThrownBy(() -> with("kafka:9092", Duration.ZERO, Duration.ofSeconds(1), Map.of()))
          .hasMessage("snapshotInterval must be positive, got PT0S");
      assertThatThrownBy(
              () -> with("kafka:9092", Duration.ofSeconds(1), Duration.ofSeconds(-1), Map.of()))
          .hasMessage("coldStartGrace must be positive, got PT-1S");
    }

    @Test
    void overrides_of_what_the_feed_manages_are_refused() {
      assertThatThrownBy(
              () ->
                  with(
                      "kafka:9092",
                      Duration.ofSeconds(1),
                      Duration.ofSeconds(1),
                      Map.of("group.id", "g", "auto.offset.reset", "latest")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "consumerOverrides must not set [auto.offset.reset, group.id]:"
                  + " the config feed manages them");
    }

    @Test
    void the_same_topic_twice_is_refused() {
      assertThatThrownBy(() -> new ConfigTopics("a", "b", "a", "c", "d"))
          .hasMessage("Config topics must be five different topics, got [a, b, a, c, d]");
    }
  }
}
