package dev.turnpike.gateway.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopesTest {
  @Test
  void reads_space_separated_scope_and_scp_as_a_string_or_an_array() {
    assertThat(Scopes.granted(Map.of("scope", "a  b"))).containsExactly("a", "b");
    assertThat(Scopes.granted(Map.of("scp", List.of("c", "d")))).containsExactly("c", "d");
    assertThat(Scopes.granted(Map.of("scp", "e f", "scope", "g"))).containsExactly("g", "e", "f");
    assertThat(Scopes.granted(Map.of("scope", 42))).isEmpty();
  }

  @Test
  void one_granted_scope_of_the_required_is_enough_and_none_required_always_passes() {
    Map<String, Object> claims = Map.of("scope", "orders:read profile");

    assertThat(Scopes.grantsAny(claims, List.of("orders:write", "orders:read"))).isTrue();
    assertThat(Scopes.grantsAny(claims, List.of("orders:write"))).isFalse();
    assertThat(Scopes.grantsAny(claims, List.of("orders"))).isFalse();
    assertThat(Scopes.grantsAny(Map.of(), List.of())).isTrue();
  }

  @Test
  void claims_reach_backends_as_text() {
    assertThat(ClaimText.of("x")).isEqualTo("x");
    assertThat(ClaimText.of(1733461200L)).isEqualTo("1733461200");
    assertThat(ClaimText.of(true)).isEqualTo("true");
    assertThat(ClaimText.of(List.of("a", 1))).isEqualTo("[a 1]");
    assertThat(ClaimText.of(Map.of("k", "v"))).isEqualTo("{\"k\":\"v\"}");
    assertThat(ClaimText.of(null)).isNull();
  }
}
