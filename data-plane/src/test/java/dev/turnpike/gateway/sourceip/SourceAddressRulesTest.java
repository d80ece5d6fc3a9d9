package dev.turnpike.gateway.sourceip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.SourceIpPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceAddressRulesTest {
  private static SourceAddressRules rules(List<String> allow, List<String> deny) {
    return SourceAddressRules.compile(new SourceIpPolicy(allow, deny));
  }

  @Test
  void a_stage_without_rules_compiles_to_nothing() {
    assertThat(SourceAddressRules.compile(null)).isNull();
    assertThat(rules(List.of(), List.of())).isNull();
  }

  @Test
  void deny_wins_over_a_broader_allow() {
    SourceAddressRules rules = rules(List.of("10.0.0.0/8"), List.of("10.1.0.0/16"));

    assertThat(rules.admits("10.2.3.4")).isTrue();
    assertThat(rules.admits("10.1.3.4")).isFalse();
  }

  @Test
  void with_allow_rules_an_address_outside_them_is_refused() {
    SourceAddressRules rules = rules(List.of("203.0.113.0/24", "2001:db8::/32"), List.of());

    assertThat(rules.admits("203.0.113.200")).isTrue();
    assertThat(rules.admits("203.0.114.1")).isFalse();
    assertThat(rules.admits("2001:db8:1::5")).isTrue();
    assertThat(rules.admits("2001:db9::5")).isFalse();
  }

  @Test
  void deny_rules_alone_admit_everyone_else() {
    SourceAddressRules rules = rules(List.of(), List.of("192.0.2.7", "fd00::/8"));

    assertThat(rules.admits("192.0.2.7")).isFalse();
    assertThat(rules.admits("192.0.2.8")).isTrue();
    assertThat(rules.admits("fd12::1")).isFalse();
    assertThat(rules.admits("fe80::1")).isTrue();
  }

  @Test
  void an_ipv4_mapped_ipv6_address_cannot_dodge_an_ipv4_deny() {
    SourceAddressRules rules = rules(List.of(), List.of("6.6.6.0/24"));

    assertThat(rules.admits("::ffff:6.6.6.6")).isFalse();
    assertThat(rules.admits("0:0:0:0:0:ffff:606:606")).isFalse();
    assertThat(rules.admits("::ffff:7.7.7.7")).isTrue();
  }

  @Test
  void an_ipv4_mapped_address_is_admitted_by_an_ipv4_allow_only() {
    SourceAddressRules rules = rules(List.of("10.0.0.0/8"), List.of());

    assertThat(rules.admits("::ffff:10.9.9.9")).isTrue();
    assertThat(rules.admits("::ffff:11.9.9.9")).isFalse();
  }

  @Test
  void prefix_lengths_at_the_edges_match_as_written() {
    assertThat(rules(List.of("0.0.0.0/0"), List.of()).admits("255.255.255.255")).isTrue();
    assertThat(rules(List.of("::/0"), List.of()).admits("1.2.3.4")).isFalse();
    assertThat(rules(List.of("::/0"), List.of()).admits("2001:db8::1")).isTrue();
    SourceAddressRules mid = rules(List.of("2001:db8:aaaa:bb00::/56"), List.of());
    assertThat(mid.admits("2001:db8:aaaa:bbff::1")).isTrue();
    assertThat(mid.admits("2001:db8:aaaa:bc00::1")).isFalse();
    SourceAddressRules low = rules(List.of("2001:db8::8/125"), List.of());
    assertThat(low.admits("2001:db8::f")).isTrue();
    assertThat(low.admits("2001:db8::10")).isFalse();
  }

  @Test
  void anything_that_is_no_ip_literal_is_refused() {
    SourceAddressRules rules = rules(List.of(), List.of("192.0.2.0/24"));

    assertThat(rules.admits("localhost")).isFalse();
    assertThat(rules.admits("1.2.3")).isFalse();
    assertThat(rules.admits("1.2.3.256")).isFalse();
    assertThat(rules.admits("01.2.3.4")).isFalse();
    assertThat(rules.admits("")).isFalse();
    assertThat(rules.admits(null)).isFalse();
  }

  @Test
  void a_bad_entry_is_refused_by_name() {
    assertThatThrownBy(() -> rules(List.of("10.0.0.0/8"), List.of("10.0.0.1/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("denyCidrs[0]")
        .hasMessageContaining("10.0.0.1/33");
  }
}
