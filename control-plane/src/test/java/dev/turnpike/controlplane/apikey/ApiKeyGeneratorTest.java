package dev.turnpike.controlplane.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ApiKeyHash;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {
  private final ApiKeyGenerator generator = new ApiKeyGenerator();

  @Test
  void minted_key_has_the_turnpike_shape() {
    var key = generator.mint();
    assertThat(key.plainKey()).matches("tpk_[0-9A-Za-z]{40}");
    assertThat(key.visiblePrefix()).isEqualTo(key.plainKey().substring(0, 8));
  }

  @Test
  void stored_hash_is_what_the_gateway_computes_from_the_presented_key() {
    var key = generator.mint();
    assertThat(key.hash()).isEqualTo(ApiKeyHash.sha256Hex(key.plainKey()));
  }

  @Test
  void keys_do_not_repeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(generator.mint().plainKey());
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void the_plain_key_never_appears_in_to_string() {
    var key = generator.mint();
    assertThat(key.toString()).doesNotContain(key.plainKey()).contains(key.visiblePrefix());
  }
}
