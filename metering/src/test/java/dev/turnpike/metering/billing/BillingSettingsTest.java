package dev.turnpike.metering.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingSettingsTest {
  @Test
  void defaults_to_ledger_only() {
    BillingSettings s = BillingSettings.fromEnvironment(Map.of());
    assertThat(s.stripeConfigured()).isFalse();
    assertThat(s.port()).isEqualTo(8083);
    assertThat(s.stripeApiBase()).isEqualTo("https://api.stripe.com");
    assertThat(s.periodCloseGrace()).isEqualTo(Duration.ofHours(2));
    assertThat(s.stripeRetry().maxAttempts()).isEqualTo(5);
  }

  @Test
  void a_stripe_key_needs_the_webhook_secret_and_the_internal_token() {
    assertThatThrownBy(
            () -> BillingSettings.fromEnvironment(Map.of("TURNPIKE_STRIPE_API_KEY", "sk_live_x")))
        .hasMessageContaining("TURNPIKE_STRIPE_WEBHOOK_SECRET is required")
        .hasMessageContaining("TURNPIKE_INTERNAL_TOKEN is required");
  }

  @Test
  void names_every_bad_variable() {
    assertThatThrownBy(
            () ->
                BillingSettings.fromEnvironment(
                    Map.of(
                        "TURNPIKE_BILLING_PORT", "70000",
                        "TURNPIKE_STRIPE_API_BASE", "not a url",
                        "TURNPIKE_STRIPE_METER_SYNC_INTERVAL", "often",
                        "TURNPIKE_INTERNAL_TOKEN", "short")))
        .hasMessageContaining("TURNPIKE_BILLING_PORT")
        .hasMessageContaining("TURNPIKE_STRIPE_API_BASE")
        .hasMessageContaining("TURNPIKE_STRIPE_METER_SYNC_INTERVAL")
        .hasMessageContaining("TURNPIKE_INTERNAL_TOKEN must be at least 16");
  }

  @Test
  void refuses_the_example_files_placeholder_token() {
    assertThatThrownBy(
            () ->
                BillingSettings.fromEnvironment(
                    Map.of("TURNPIKE_INTERNAL_TOKEN", "change-me-at-least-16-random-characters")))
        .hasMessageContaining("TURNPIKE_INTERNAL_TOKEN holds a placeholder or demo value")
        .hasMessageNotContaining("random-characters");
  }

  @Test
  void keeps_secrets_out_of_its_string_form() {
    BillingSettings s =
        BillingSettings.fromEnvironment(
            Map.of(
                "TURNPIKE_STRIPE_API_KEY", "sk_test_secret",
                "TURNPIKE_STRIPE_WEBHOOK_SECRET", "whsec_secret",
                "TURNPIKE_INTERNAL_TOKEN", "0123456789abcdef"));
    assertThat(s.toString()).doesNotContain("secret").doesNotContain("0123456789abcdef");
  }
}
