package dev.turnpike.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.gateway.node.NodeSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamSettingsTest {
  @Test
  void a_node_has_sane_defaults_for_breakers_and_retry_budgets() {
    assertThat(NodeSettings.fromEnvironment(Map.of()).upstream())
        .isEqualTo(UpstreamSettings.DEFAULTS);
  }

  @Test
  void the_limits_come_from_the_environment() {
    UpstreamSettings settings =
        NodeSettings.fromEnvironment(
                Map.of(
                    "TURNPIKE_GATEWAY_UPSTREAM_BREAKER_FAILURES", "3",
                    "TURNPIKE_GATEWAY_UPSTREAM_BREAKER_COOLDOWN_MS", "2500",
                    "TURNPIKE_GATEWAY_UPSTREAM_RETRY_RATIO", "0.1",
                    "TURNPIKE_GATEWAY_UPSTREAM_MIN_RETRIES_PER_SECOND", "0"))
            .upstream();

    assertThat(settings).isEqualTo(new UpstreamSettings(3, 2500, 0.1, 0, 10));
  }

  @Test
  void a_bad_value_stops_the_node_naming_the_key() {
    assertThatThrownBy(
            () ->
                NodeSettings.fromEnvironment(
                    Map.of("TURNPIKE_GATEWAY_UPSTREAM_BREAKER_FAILURES", "0")))
        .hasMessageContaining("TURNPIKE_GATEWAY_UPSTREAM_BREAKER_FAILURES");
    assertThatThrownBy(
            () ->
                NodeSettings.fromEnvironment(
                    Map.of("TURNPIKE_GATEWAY_UPSTREAM_RETRY_RATIO", "1.5")))
        .hasMessageContaining("TURNPIKE_GATEWAY_UPSTREAM_RETRY_RATIO");
  }
}
