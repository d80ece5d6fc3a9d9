package dev.turnpike.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ApiKeyHash;
import org.junit.jupiter.api.Test;

class ApiKeyHashTest {
  @Test
  void hash_is_the_sha256_hex_of_the_key() {
    // Known answer: sha256("abc").
    assertThat(ApiKeyHash.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void repeated_hashing_on_one_thread_gives_the_same_answer() {
    String first = ApiKeyHash.sha256Hex("tpk_example");
    ApiKeyHash.sha256Hex("something else");
    assertThat(ApiKeyHash.sha256Hex("tpk_example")).isEqualTo(first).hasSize(64);
  }
}
