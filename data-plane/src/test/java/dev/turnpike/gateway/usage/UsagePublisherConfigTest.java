package dev.turnpike.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsagePublisherConfigTest {
  private static final Path DIR = Path.of("spool");

  private static UsagePublisherConfig config(
      long spoolMaxBytes,
      int queueCapacity,
      Duration unhealthyAfter,
      Map<String, String> overrides) {
    return new UsagePublisherConfig(
        "localhost:9092", DIR, spoolMaxBytes, queueCapacity, unhealthyAfter, "node-1", overrides);
  }

  @Test
  void names_the_field_a_bad_value_is_in() {
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(
            () -> new UsagePublisherConfig(" ", DIR, 1 << 20, 100, second, "node-1", Map.of()))
        .hasMessageContaining("bootstrapServers");
    assertThatThrownBy(
            () ->
                new UsagePublisherConfig(
                    "localhost:9092", null, 1 << 20, 100, second, "node-1", Map.of()))
        .hasMessageContaining("spoolDir");
    assertThatThrownBy(() -> config(1000, 100, second, Map.of()))
        .hasMessageContaining("spoolMaxBytes");
    assertThatThrownBy(() -> config(1 << 20, 0, second, Map.of()))
        .hasMessageContaining("queueCapacity");
    assertThatThrownBy(() -> config(1 << 20, 100, Duration.ZERO, Map.of()))
        .hasMessageContaining("unhealthyAfter");
    assertThatThrownBy(
            () ->
                new UsagePublisherConfig("localhost:9092", DIR, 1 << 20, 100, second, "", Map.of()))
        .hasMessageContaining("nodeId");
  }

  @Test
  void refuses_overrides_of_the_settings_delivery_depends_on() {
    assertThatThrownBy(() -> config(1 << 20, 100, Duration.ofSeconds(1), Map.of("acks", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks");
    assertThatThrownBy(
            () ->
                config(1 << 20, 100, Duration.ofSeconds(1), Map.of("enable.idempotence", "false")))
        .hasMessageContaining("enable.idempotence");
  }

  @Test
  void refuses_an_override_kafka_would_refuse_naming_it() {
    assertThatThrownBy(
            () -> config(1 << 20, 100, Duration.ofSeconds(1), Map.of("linger.ms", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("linger.ms");
    assertThatThrownBy(
            () ->
                config(
                    1 << 20,
                    100,
                    Duration.ofSeconds(1),
                    Map.of("max.in.flight.requests.per.connection", "6")))
        .hasMessageContaining("max.in.flight.requests.per.connection");
  }

  @Test
  void builds_an_idempotent_acks_all_producer_with_the_overrides() {
    Map<String, Object> props =
        config(1 << 20, 100, Duration.ofSeconds(1), Map.of("linger.ms", "25")).producerProperties();

    assertThat(props)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("delivery.timeout.ms", Integer.MAX_VALUE)
        .containsEntry("linger.ms", "25")
        .containsEntry("client.id", "turnpike-usage-node-1");
  }
}
