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

  @Nested
  class ForwardingAndBodies {
    @Test
    void trusts_no_proxy_and_caps_validated_bodies_at_one_mebibyte_by_default() {
      NodeSettings settings = NodeSettings.fromEnvironment(Map.of());

      assertThat(settings.trustedProxies().isEmpty()).isTrue();
      assertThat(settings.maxValidatedBodyBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void reads_trusted_proxies_as_cidrs() {
      NodeSettings settings =
          NodeSettings.fromEnvironment(
              Map.of("TURNPIKE_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.0.1"));

      assertThat(settings.trustedProxies().trusts("10.1.2.3")).isTrue();
      assertThat(settings.trustedProxies().trusts("192.168.0.1")).isTrue();
      assertThat(settings.trustedProxies().trusts("192.168.0.2")).isFalse();
    }

    @Test
    void a_bad_cidr_stops_start_naming_the_variable() {
      assertThatThrownBy(
              () ->
                  NodeSettings.fromEnvironment(
                      Map.of("TURNPIKE_GATEWAY_TRUSTED_PROXIES", "10.0.0.0/40")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_GATEWAY_TRUSTED_PROXIES")
          .hasMessageContaining("10.0.0.0/40");
    }
  }

  @Nested
  class CustomDomains {
    @Test
    void without_the_operator_key_no_custom_domain_is_served() {
      NodeSettings settings = NodeSettings.fromEnvironment(Map.of());
      assertThat(settings.servesDomains()).isFalse();
      assertThat(settings.domainsPort()).isEqualTo(8443);
    }

    @Test
    void reads_the_operator_key_and_the_domains_port() {
      String key = dev.turnpike.contracts.domain.SealedSecrets.newBase64Key();
      NodeSettings settings =
          NodeSettings.fromEnvironment(
              Map.of("TURNPIKE_SECRET_KEY", key, "TURNPIKE_GATEWAY_DOMAINS_PORT", "9443"));
      assertThat(settings.servesDomains()).isTrue();
      assertThat(settings.domainsPort()).isEqualTo(9443);
      String sealed =
          dev.turnpike.contracts.domain.SealedSecrets.fromBase64Key(key).seal("k", "a.test");
      assertThat(settings.secrets().open(sealed, "a.test")).isEqualTo("k");
    }

    @Test
    void opens_nothing_without_the_operators_key_and_what_it_sealed_with_it() {
      assertThat(NodeSettings.fromEnvironment(Map.of()).secrets()).isNull();
      String key = dev.turnpike.contracts.domain.SealedSecrets.newBase64Key();
      String sealed =
          dev.turnpike.contracts.domain.SealedSecrets.fromBase64Key(key).seal("secret", "owner");
      assertThat(
              NodeSettings.fromEnvironment(Map.of("TURNPIKE_SECRET_KEY", key))
                  .secrets()
                  .open(sealed, "owner"))
          .isEqualTo("secret");
    }

    @Test
    void a_key_that_is_not_32_bytes_of_base64_stops_start_without_showing_it() {
      assertThatThrownBy(
              () -> NodeSettings.fromEnvironment(Map.of("TURNPIKE_SECRET_KEY", "c2hvcnQ=")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_SECRET_KEY")
          .hasMessageContaining("32 bytes")
          .hasMessageNotContaining("c2hvcnQ=");
      assertThatThrownBy(
              () -> NodeSettings.fromEnvironment(Map.of("TURNPIKE_GATEWAY_DOMAINS_PORT", "70000")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_GATEWAY_DOMAINS_PORT");
    }
  }

  @Nested
  class Membership {
    @Test
    void learns_the_live_nodes_from_kafka_by_default() {
      NodeSettings settings = NodeSettings.fromEnvironment(Map.of());

      assertThat(settings.membership().kafka()).isTrue();
      assertThat(settings.membership().heartbeat()).hasMillis(2_000);
      assertThat(settings.membership().expiry()).hasMillis(4_000);
      assertThat(settings.membership().advertisedAddress()).isNull();
    }

    @Test
    void static_membership_and_an_advertised_address_are_read() {
      NodeSettings settings =
          NodeSettings.fromEnvironment(
              Map.of(
                  "TURNPIKE_GATEWAY_MEMBERSHIP", "static",
                  "TURNPIKE_GATEWAY_ADVERTISED_ADDRESS", "10.0.0.7:8080"));

      assertThat(settings.membership().kafka()).isFalse();
      assertThat(settings.membership().advertisedAddress()).isEqualTo("10.0.0.7:8080");
    }

    @Test
    void refuses_an_expiry_shorter_than_two_heartbeats() {
      assertThatThrownBy(
              () ->
                  NodeSettings.fromEnvironment(
                      Map.of(
                          "TURNPIKE_GATEWAY_HEARTBEAT_MS", "2000",
                          "TURNPIKE_GATEWAY_NODE_EXPIRY_MS", "3000")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_GATEWAY_NODE_EXPIRY_MS");
    }
  }
}
