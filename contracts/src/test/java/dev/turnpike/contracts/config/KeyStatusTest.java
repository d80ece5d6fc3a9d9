package dev.turnpike.contracts.config;

import static dev.turnpike.contracts.billing.BillingStanding.Standing.GOOD;
import static dev.turnpike.contracts.billing.BillingStanding.Standing.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.billing.BillingStanding.Standing;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class KeyStatusTest {
  @Nested
  class published {
    @Test
    void enabled_key_of_an_active_app_is_enabled() {
      assertThat(KeyStatus.published("enabled", "active", GOOD)).isEqualTo(KeyStatus.ENABLED);
    }

    @Test
    void enabled_key_of_an_app_that_is_not_active_is_suspended() {
      assertThat(KeyStatus.published("enabled", "suspended", GOOD)).isEqualTo(KeyStatus.SUSPENDED);
      assertThat(KeyStatus.published("enabled", null, GOOD)).isEqualTo(KeyStatus.SUSPENDED);
    }

    @Test
    void enabled_key_of_an_app_billing_holds_is_suspended_even_while_the_app_is_active() {
      assertThat(KeyStatus.published("enabled", "active", SUSPENDED))
          .isEqualTo(KeyStatus.SUSPENDED);
    }

    @Test
    void an_unknown_standing_fails_closed() {
      assertThat(KeyStatus.published("enabled", "active", Standing.UNKNOWN))
          .isEqualTo(KeyStatus.SUSPENDED);
    }

    @Test
    void disabled_revoked_and_suspended_keys_keep_their_status_whatever_the_app() {
      assertThat(KeyStatus.published("disabled", "active", GOOD)).isEqualTo(KeyStatus.DISABLED);
      assertThat(KeyStatus.published("revoked", "active", GOOD)).isEqualTo(KeyStatus.REVOKED);
      assertThat(KeyStatus.published("suspended", "active", GOOD)).isEqualTo(KeyStatus.SUSPENDED);
    }

    @Test
    void unknown_stored_status_fails_closed() {
      assertThat(KeyStatus.published("paused", "active", GOOD)).isEqualTo(KeyStatus.UNKNOWN);
    }
  }

  @Nested
  class storedForNewKey {
    @Test
    void an_enabled_key_of_an_app_in_good_standing_starts_enabled() {
      assertThat(KeyStatus.storedForNewKey("enabled", GOOD)).isEqualTo("enabled");
    }

    @Test
    void an_enabled_key_of_an_app_billing_holds_starts_suspended() {
      assertThat(KeyStatus.storedForNewKey("enabled", SUSPENDED)).isEqualTo("suspended");
    }

    @Test
    void a_disabled_key_stays_disabled_so_payment_never_turns_it_on() {
      assertThat(KeyStatus.storedForNewKey("disabled", SUSPENDED)).isEqualTo("disabled");
    }
  }

  @Test
  void revoked_keys_are_not_republished_with_their_app() {
    assertThat(KeyStatus.republishedWithApp("revoked")).isFalse();
    assertThat(KeyStatus.republishedWithApp("enabled")).isTrue();
    assertThat(KeyStatus.republishedWithApp("disabled")).isTrue();
  }
}
