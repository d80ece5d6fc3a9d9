package dev.turnpike.controlplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.memory.MemoryControlPlane;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's custom-domain settings: read with their defaults, and a bad one stops start. */
class DomainSettingsTest {
  private static ControlPlaneSettings read(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(MemoryControlPlane.minimalEnvironment());
    env.putAll(extra);
    return ControlPlaneSettings.fromEnvironment(env);
  }

  @Test
  void without_a_secret_key_certificates_cannot_be_sealed_and_the_machines_resolvers_are_asked() {
    DomainSettings settings = read(Map.of()).domains();
    assertThat(settings.secrets()).isNull();
    assertThat(settings.dnsServers()).isEmpty();
    assertThat(settings.dnsTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.verification()).isEqualTo("dns");
    assertThat(settings.httpPort()).isEqualTo(80);
  }

  @Test
  void control_is_checked_by_dns_or_http_and_nothing_else() {
    assertThat(read(Map.of("TURNPIKE_CP_DOMAIN_VERIFICATION", "HTTP")).domains().verification())
        .isEqualTo("http");
    assertThatThrownBy(() -> read(Map.of("TURNPIKE_CP_DOMAIN_VERIFICATION", "email")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_CP_DOMAIN_VERIFICATION");
  }

  @Test
  void a_secret_key_seals_what_the_same_key_opens() {
    String key = SealedSecrets.newBase64Key();
    DomainSettings settings =
        read(Map.of(
                "TURNPIKE_SECRET_KEY",
                key,
                "TURNPIKE_CP_DOMAIN_DNS_SERVERS",
                "10.0.0.53, [::1]:5353,dns.internal:53"))
            .domains();
    String sealed = settings.secrets().seal("key", "api.example.com");
    assertThat(SealedSecrets.fromBase64Key(key).open(sealed, "api.example.com")).isEqualTo("key");
    assertThat(settings.dnsServers()).containsExactly("10.0.0.53", "[::1]:5353", "dns.internal:53");
  }

  @Test
  void a_malformed_secret_key_stops_start_naming_the_setting_but_not_the_value() {
    String shortKey = "c2hvcnQta2V5LW9mLXNpeHRlZW4tYnl0ZXM=";
    assertThatThrownBy(() -> read(Map.of("TURNPIKE_SECRET_KEY", shortKey)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_SECRET_KEY")
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> read(Map.of("TURNPIKE_SECRET_KEY", "not base64 at all!")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TURNPIKE_SECRET_KEY");
  }

  @Test
  void a_resolver_that_is_not_host_or_host_port_stops_start() {
    for (String bad : List.of("dns://10.0.0.53", "10.0.0.53:port", "a b")) {
      assertThatThrownBy(() -> read(Map.of("TURNPIKE_CP_DOMAIN_DNS_SERVERS", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_CP_DOMAIN_DNS_SERVERS");
    }
  }
}
