package dev.turnpike.metering.billing;

import dev.turnpike.listener.ListenerLimits;
import dev.turnpike.metering.stripe.RetryPolicy;
import dev.turnpike.settings.PublishedSecrets;
import dev.turnpike.settings.SettingsReader;
import java.time.Duration;
import java.util.Map;

/**
 * Billing's settings, read once at start; see {@link #fromEnvironment(Map)} for the variables.
 *
 * @param listener what the billing API's port allows each client
 * @param stripeApiKey null runs billing ledger-only: invoices are rated, nothing goes to Stripe
 * @param stripeWebhookSecret the webhook endpoint's signing secret ({@code whsec_...})
 * @param internalToken the shared secret the control plane sends in {@value #INTERNAL_TOKEN_HEADER}
 */
public record BillingSettings(
    String host,
    int port,
    ListenerLimits listener,
    String stripeApiKey,
    String stripeWebhookSecret,
    String stripeApiBase,
    RetryPolicy stripeRetry,
    String internalToken,
    Duration periodCloseInterval,
    Duration periodCloseGrace,
    Duration meterSyncInterval,
    Duration meterSettle,
    Duration meterLookback) {
  public static final String INTERNAL_TOKEN_HEADER = "X-Turnpike-Internal-Token";

  public boolean stripeConfigured() {
    return stripeApiKey != null;
  }

  @Override
  public String toString() {
    // Secrets stay out of logs.
    return "BillingSettings[host="
        + host
        + ", port="
        + port
        + ", stripe="
        + (stripeConfigured() ? stripeApiBase : "ledger-only")
        + ", retry="
        + stripeRetry
        + ", periodCloseInterval="
        + periodCloseInterval
        + ", periodCloseGrace="
        + periodCloseGrace
        + ", meterSyncInterval="
        + meterSyncInterval
        + "]";
  }

  /**
   * Reads these variables (defaults in brackets):
   *
   * <ul>
   *   <li>{@code TURNPIKE_BILLING_HOST} [0.0.0.0], {@code TURNPIKE_BILLING_PORT} [8083]: the
   *       billing HTTP API (Stripe webhook, checkout sessions); 0 picks a free port
   *   <li>{@code TURNPIKE_BILLING_HEADER_READ_TIMEOUT_MS} [10000], {@code
   *       TURNPIKE_BILLING_IDLE_TIMEOUT_MS} [60000], {@code TURNPIKE_BILLING_MAX_HEADER_BYTES}
   *       [16384], {@code TURNPIKE_BILLING_MAX_CONNECTIONS} [500]: what that port allows each
   *       client (see {@link ListenerLimits})
   *   <li>{@code TURNPIKE_STRIPE_API_KEY} [none: ledger-only]
   *   <li>{@code TURNPIKE_STRIPE_WEBHOOK_SECRET} (required with an API key)
   *   <li>{@code TURNPIKE_STRIPE_API_BASE} [https://api.stripe.com]
   *   <li>{@code TURNPIKE_STRIPE_MAX_ATTEMPTS} [5], {@code TURNPIKE_STRIPE_RETRY_BASE_DELAY}
   *       [PT0.5S], {@code TURNPIKE_STRIPE_RETRY_MAX_DELAY} [PT30S]: back-off on 429, 5xx and
   *       network errors
   *   <li>{@code TURNPIKE_INTERNAL_TOKEN} (required with an API key, 16+ characters): what the
   *       control plane sends to create checkout sessions
   *   <li>{@code TURNPIKE_BILLING_PERIOD_CLOSE_INTERVAL} [PT15M]: how often the period close runs
   *   <li>{@code TURNPIKE_BILLING_PERIOD_CLOSE_GRACE} [PT2H]: how long after a month ends it is
   *       closed, so late usage lands first
   *   <li>{@code TURNPIKE_STRIPE_METER_SYNC_INTERVAL} [PT5M], {@code TURNPIKE_STRIPE_METER_SETTLE}
   *       [PT10M] (an hour is reported once it ended this long ago), {@code
   *       TURNPIKE_STRIPE_METER_LOOKBACK} [PT48H] (how far back late usage is still reported)
   * </ul>
   *
   * @throws IllegalArgumentException naming every bad variable
   */
  public static BillingSettings fromEnvironment(Map<String, String> env) {
    EnvSettings r = new EnvSettings(env);
    String host = r.string("TURNPIKE_BILLING_HOST", "0.0.0.0");
    int port = r.integer("TURNPIKE_BILLING_PORT", 8083, 0, 65_535);
    SettingsReader listenerSettings = new SettingsReader(env);
    ListenerLimits listener =
        ListenerLimits.read(
            listenerSettings,
            ListenerLimits.forPublic(500),
            "TURNPIKE_BILLING_HEADER_READ_TIMEOUT_MS",
            "TURNPIKE_BILLING_IDLE_TIMEOUT_MS",
            "TURNPIKE_BILLING_MAX_HEADER_BYTES",
            "TURNPIKE_BILLING_MAX_CONNECTIONS");
    listenerSettings.failOnProblems("billing listener");
    String apiKey = r.string("TURNPIKE_STRIPE_API_KEY", null);
    String webhookSecret = r.string("TURNPIKE_STRIPE_WEBHOOK_SECRET", null);
    String apiBase = r.url("TURNPIKE_STRIPE_API_BASE", "https://api.stripe.com");
    int attempts = r.integer("TURNPIKE_STRIPE_MAX_ATTEMPTS", 5, 1, 20);
    Duration baseDelay =
        r.duration("TURNPIKE_STRIPE_RETRY_BASE_DELAY", Duration.ofMillis(500), Duration.ZERO);
    Duration maxDelay =
        r.duration("TURNPIKE_STRIPE_RETRY_MAX_DELAY", Duration.ofSeconds(30), Duration.ZERO);
    String token = r.string("TURNPIKE_INTERNAL_TOKEN", null);
    if (apiKey != null && webhookSecret == null) {
      r.problem("TURNPIKE_STRIPE_WEBHOOK_SECRET is required when TURNPIKE_STRIPE_API_KEY is set");
    }
    if (apiKey != null && token == null) {
      r.problem("TURNPIKE_INTERNAL_TOKEN is required when TURNPIKE_STRIPE_API_KEY is set");
    }
    if (token != null && token.length() < 16) {
      r.problem("TURNPIKE_INTERNAL_TOKEN must be at least 16 characters");
    }
    refusePublished(r, "TURNPIKE_INTERNAL_TOKEN", token);
    refusePublished(r, "TURNPIKE_STRIPE_API_KEY", apiKey);
    refusePublished(r, "TURNPIKE_STRIPE_WEBHOOK_SECRET", webhookSecret);
    Duration second = Duration.ofSeconds(1);
    BillingSettings settings =
        new BillingSettings(
            host,
            port,
            listener,
            apiKey,
            webhookSecret,
            apiBase,
            new RetryPolicy(attempts, baseDelay, maxDelay),
            token,
            r.duration("TURNPIKE_BILLING_PERIOD_CLOSE_INTERVAL", Duration.ofMinutes(15), second),
            r.duration("TURNPIKE_BILLING_PERIOD_CLOSE_GRACE", Duration.ofHours(2), Duration.ZERO),
            r.duration("TURNPIKE_STRIPE_METER_SYNC_INTERVAL", Duration.ofMinutes(5), second),
            r.duration("TURNPIKE_STRIPE_METER_SETTLE", Duration.ofMinutes(10), Duration.ZERO),
            r.duration(
                "TURNPIKE_STRIPE_METER_LOOKBACK", Duration.ofHours(48), Duration.ofHours(1)));
    r.failOnProblems();
    return settings;
  }

  /** An example file's placeholder must never become a deployment's secret. */
  private static void refusePublished(EnvSettings r, String key, String value) {
    if (PublishedSecrets.isPublished(value)) {
      r.problem(PublishedSecrets.problem(key));
    }
  }
}
