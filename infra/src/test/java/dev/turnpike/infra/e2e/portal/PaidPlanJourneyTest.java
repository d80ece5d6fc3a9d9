package dev.turnpike.infra.e2e.portal;

import static dev.turnpike.infra.e2e.InProcessServices.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.infra.e2e.InProcessServices;
import dev.turnpike.metering.billing.BillingService;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.portal.Portal;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.testkit.stripe.FakeStripeServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer buys a paid plan in the portal: the control plane opens a pending subscription and
 * asks billing (in the metering process) for a checkout page; the fake Stripe's hosted page takes
 * the payment and its signed webhook activates the subscription, after which the developer's key
 * opens the gateway.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class, KeycloakExtension.class})
class PaidPlanJourneyTest {
  static final Path SHOTS = Path.of("target", "screenshots", "portal");
  static final String TOKEN = "portal-e2e-internal-token";
  static final String WEBHOOK_SECRET = "whsec_portal_e2e";
  static final Duration PROPAGATION = Duration.ofSeconds(30);

  @Test
  void subscribes_to_a_paid_plan_through_checkout_and_the_webhook_opens_the_gateway(
      TestDatabase db, KafkaBroker kafka, KeycloakServer keycloak, @TempDir Path gatewayData)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try (FakeStripeServer stripe = FakeStripeServer.start()) {
      Map<String, String> env = new HashMap<>();
      env.put("TURNPIKE_BILLING_HOST", "127.0.0.1");
      env.put("TURNPIKE_BILLING_PORT", "0");
      env.put("TURNPIKE_STRIPE_API_KEY", "sk_test_fake");
      env.put("TURNPIKE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
      env.put("TURNPIKE_STRIPE_API_BASE", stripe.apiBase());
      env.put("TURNPIKE_STRIPE_RETRY_BASE_DELAY", "PT0.01S");
      env.put("TURNPIKE_INTERNAL_TOKEN", TOKEN);
      BillingService billing =
          new BillingService(
              BillingSettings.fromEnvironment(env), db.systemDsl(), vertx, Clock.systemUTC());
      billing.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      stripe.deliverWebhooksTo(
          URI.create("http://127.0.0.1:" + billing.port() + "/stripe/webhook"), WEBHOOK_SECRET);
      try (TestControlPlane cp =
              TestControlPlane.start(
                  db,
                  kafka.bootstrapServers(),
                  Map.of(
                      "TURNPIKE_CP_OIDC_ISSUER",
                      keycloak.issuer(),
                      "TURNPIKE_CP_OIDC_JWKS_URL",
                      keycloak.jwksUrl(),
                      "TURNPIKE_CP_OIDC_LEEWAY_SECONDS",
                      "5",
                      "TURNPIKE_CP_BILLING_URL",
                      "http://127.0.0.1:" + billing.port(),
                      "TURNPIKE_CP_BILLING_TOKEN",
                      TOKEN));
          GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData);
          Portal portal = DeveloperJourneyTest.startPortal(cp, keycloak, gateway);
          Chromium chromium = Chromium.launch()) {
        String owner =
            keycloak.passwordGrant(
                TurnpikeRealm.CLI_CLIENT,
                TurnpikeRealm.DEMO_OWNER,
                TurnpikeRealm.DEMO_OWNER_PASSWORD);
        PublishedApi published = PublishedApi.create(cp.client(), owner);
        String forecast = "/" + published.slug() + "/weather/prod/forecast";
        String portalUrl = portal.publicUrl() + "/portal/" + published.slug();
        try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
          Page page = dev.page();
          dev.signUpAndRegister("Paying Customer Ltd");
          dev.createApp("Paid bot");
          String key = dev.createKey("paid");
          dev.subscribe("Pro");
          page.waitForURL("**/checkout");
          assertThat(status(gateway, forecast, key)).isEqualTo(403);
          dev.payAtCheckout();
          Await.until(
              PROPAGATION,
              () -> {
                page.reload();
                return page.locator(".badge.active").count() == 1;
              },
              "the webhook activates the subscription");
          dev.shoot("app-paid");
          Await.until(
              PROPAGATION,
              () -> status(gateway, forecast, key) == 200,
              "the paid plan opens the gateway to the key");
        }
      } finally {
        billing.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
