package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {
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
