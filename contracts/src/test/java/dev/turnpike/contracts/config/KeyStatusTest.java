package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KeyStatusTest {
  @Nested
  class published {
    @Test
    void enabled_key_of_an_active_app_is_enabled() {
      assertThat(KeyStatus.published("enabled", "active")).isEqualTo(KeyStatus.ENABLED);
    }

    @Test
    void enabled_key_of_an_app_that_is_not_active_is_suspended() {
      assertThat(KeyStatus.published("enabled", "suspended")).isEqualTo(KeyStatus.SUSPENDED);
      assertThat(KeyStatus.published("enabled", null)).isEqualTo(KeyStatus.SUSPENDED);
    }

    @Test
    void disabled_revoked_and_suspended_keys_keep_their_status_whatever_the_app() {
      assertThat(KeyStatus.published("disabled", "active")).isEqualTo(KeyStatus.DISABLED);
      assertThat(KeyStatus.published("revoked", "active")).isEqualTo(KeyStatus.REVOKED);
      assertThat(KeyStatus.published("suspended", "active")).isEqualTo(KeyStatus.SUSPENDED);
    }

    @Test
    void unknown_stored_status_fails_closed() {
      assertThat(KeyStatus.published("paused", "active")).isEqualTo(KeyStatus.UNKNOWN);
    }
  }

  @Test
  void revoked_keys_are_not_republished_with_their_app() {
    assertThat(KeyStatus.republishedWithApp("revoked")).isFalse();
    assertThat(KeyStatus.republishedWithApp("enabled")).isTrue();
    assertThat(KeyStatus.republishedWithApp("disabled")).isTrue();
  }
}
