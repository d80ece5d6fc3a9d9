package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.settings.KafkaSecurity;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {
  @Nested
  class KafkaTrust {
    @Test
    void a_node_talks_plaintext_to_kafka_unless_told_otherwise() {
      assertThat(NodeSettings.fromEnvironment(Map.of()).kafkaSecurity())
          .isEqualTo(KafkaSecurity.plaintext());
    }

    @Test
    void reads_the_nodes_kafka_credentials_for_its_feed_and_its_usage_publisher() {
      Map<String, String> env = new HashMap<>();
      env.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
      env.put("TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-gateway");
      env.put("TURNPIKE_KAFKA_SASL_PASSWORD", "kafka-password-0123");

      Map<String, String> properties =
          NodeSettings.fromEnvironment(env).kafkaSecurity().clientProperties();

      assertThat(properties)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsKey("sasl.jaas.config");
    }

    @Test
    void stops_start_up_naming_the_bad_kafka_setting() {
      assertThatThrownBy(
              () ->
                  NodeSettings.fromEnvironment(
                      Map.of(
                          "TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                          "TURNPIKE_KAFKA_SASL_USERNAME", "turnpike-gateway")))
          .hasMessageStartingWith("invalid gateway settings")
          .hasMessageContaining("TURNPIKE_KAFKA_SASL_PASSWORD is required");
    }
  }
}
