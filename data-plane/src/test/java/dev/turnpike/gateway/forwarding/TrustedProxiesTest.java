package dev.turnpike.gateway.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  @Test
  void trusts_addresses_inside_its_blocks_only() {
    TrustedProxies trusted =
        TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "172.16.0.0/12", "fd00::/8"));

    assertThat(trusted.trusts("10.255.3.4")).isTrue();
    assertThat(trusted.trusts("11.0.0.1")).isFalse();
    assertThat(trusted.trusts("192.168.1.7")).isTrue();
    assertThat(trusted.trusts("192.168.1.8")).isFalse();
    assertThat(trusted.trusts("172.31.255.255")).isTrue();
    assertThat(trusted.trusts("172.32.0.0")).isFalse();
    assertThat(trusted.trusts("fd12::1")).isTrue();
    assertThat(trusted.trusts("fe80::1")).isFalse();
    assertThat(trusted.trusts("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
  }

  @Test
  void never_trusts_names_or_garbage_and_never_resolves_them() {
    TrustedProxies trusted = TrustedProxies.of(List.of("0.0.0.0/0"));

    assertThat(trusted.trusts("localhost")).isFalse();
    assertThat(trusted.trusts("")).isFalse();
    assertThat(trusted.trusts(null)).isFalse();
    assertThat(trusted.trusts("1.2.3.4")).isTrue();
  }

  @Test
  void trusts_nobody_by_default() {
    assertThat(TrustedProxies.none().trusts("127.0.0.1")).isFalse();
    assertThat(TrustedProxies.of(List.of()).isEmpty()).isTrue();
  }

  @Test
  void refuses_what_is_not_a_cidr_block() {
    for (String bad :
        List.of("10.0.0.0/33", "10.0.0.0/x", "example.com", "::/129", "10.0.0/8", "10.0.0.1/8")) {
      assertThatThrownBy(() -> TrustedProxies.of(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
  }
}
