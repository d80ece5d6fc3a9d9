package dev.turnpike.contracts.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SealedSecretsTest {
  private final SealedSecrets secrets = SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key());

  @Test
  void a_sealed_secret_opens_with_the_same_key_and_owner_and_is_not_clear_text() {
    String sealed = secrets.seal("-----BEGIN PRIVATE KEY-----abc", "api.example.com");

    assertThat(sealed).startsWith("v1:").doesNotContain("PRIVATE");
    assertThat(secrets.open(sealed, "api.example.com")).isEqualTo("-----BEGIN PRIVATE KEY-----abc");
  }

  @Test
  void sealing_twice_gives_different_values() {
    assertThat(secrets.seal("x", "a")).isNotEqualTo(secrets.seal("x", "a"));
  }

  @Test
  void a_secret_copied_onto_another_owner_does_not_open() {
    String sealed = secrets.seal("key", "api.example.com");

    assertThatThrownBy(() -> secrets.open(sealed, "api.attacker.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not open");
  }

  @Test
  void a_secret_sealed_under_another_key_or_altered_does_not_open() {
    SealedSecrets other = SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key());
    String sealed = other.seal("key", "d");
    String mine = secrets.seal("key", "d");
    int middle = mine.length() / 2;
    String altered =
        mine.substring(0, middle)
            + (mine.charAt(middle) == 'A' ? 'B' : 'A')
            + mine.substring(middle + 1);

    assertThatThrownBy(() -> secrets.open(sealed, "d"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> secrets.open(altered, "d"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bad_keys_and_values_are_refused_with_a_reason() {
    for (String key : List.of("", "not base64!", "AAAA")) {
      assertThatThrownBy(() -> SealedSecrets.fromBase64Key(key))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("secret key");
    }
    assertThatThrownBy(() -> secrets.open("plain", "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v1:");
  }
}
