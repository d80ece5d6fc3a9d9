package dev.turnpike.infra.e2e.portal;

import static dev.turnpike.infra.e2e.InProcessServices.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.infra.e2e.InProcessServices;
import dev.turnpike.metering.billing.BillingService;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.metering.standing.StandingRelay;
import dev.turnpike.portal.Portal;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.settings.KafkaSecurity;
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
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer buys a paid plan in the portal: the control plane opens a pending subscription and
 * asks billing (in the metering process) for a checkout page; the fake Stripe's hosted page takes
 * the payment and its signed webhook activates the subscription, after which the developer's key
 * opens the gateway. A plan that needs the owner's approval is paid only once approved; a payment
 * that fails leaves the plan closed and says so.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class, KeycloakExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaidPlanJourneyTest {
  static final Path SHOTS = Path.of("target", "screenshots", "portal");
  static final String TOKEN = "portal-e2e-internal-token";
  static final String WEBHOOK_SECRET = "whsec_portal_e2e";
  static final Duration PROPAGATION = Duration.ofSeconds(30);

  final List<AutoCloseable> running = new ArrayList<>();
  Vertx vertx;
  BillingService billing;
  FakeStripeServer stripe;
  TestControlPlane cp;
  GatewayNode gateway;
  Chromium chromium;
  PublishedApi published;
  String owner;
  String forecast;
  String portalUrl;

  @BeforeAll
  void start(TestDatabase db, KafkaBroker kafka, KeycloakServer keycloak, @TempDir Path gatewayData)
      throws Exception {
    vertx = Vertx.vertx();
    stripe = FakeStripeServer.start();
    running.add(stripe);
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_BILLING_HOST", "127.0.0.1");
    env.put("TURNPIKE_BILLING_PORT", "0");
    env.put("TURNPIKE_STRIPE_API_KEY", "sk_test_fake");
    env.put("TURNPIKE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("TURNPIKE_STRIPE_API_BASE", stripe.apiBase());
    env.put("TURNPIKE_STRIPE_RETRY_BASE_DELAY", "PT0.01S");
    env.put("TURNPIKE_INTERNAL_TOKEN", TOKEN);
    billing =
        new BillingService(
            BillingSettings.fromEnvironment(env), db.meteringDsl(), vertx, Clock.systemUTC());
    billing.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stripe.deliverWebhooksTo(
        URI.create("http://127.0.0.1:" + billing.port() + "/stripe/webhook"), WEBHOOK_SECRET);
    // Metering's standing relay, as its service runs it beside billing: a payment's decision
    // reaches the control plane (whose standing consumer puts the plan on the key) through Kafka.
    kafka.createTopic(Topics.BILLING_STANDING, 1, true);
    running.add(
        new StandingRelay(
                db.meteringDsl(),
                new StandingRelay.Config(
                    kafka.bootstrapServers(),
                    KafkaSecurity.plaintext(),
                    Duration.ofMillis(20),
                    100,
                    Duration.ofSeconds(5)))
            .start());
    cp =
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
    running.add(cp);
    gateway = InProcessServices.gateway(kafka, gatewayData);
    running.add(gateway);
    Portal portal = DeveloperJourneyTest.startPortal(cp, keycloak, gateway);
    running.add(portal);
    chromium = Chromium.launch();
    running.add(chromium);
    owner =
        keycloak.passwordGrant(
            TurnpikeRealm.CLI_CLIENT, TurnpikeRealm.DEMO_OWNER, TurnpikeRealm.DEMO_OWNER_PASSWORD);
    published = PublishedApi.create(cp.client(), owner);
    forecast = "/" + published.slug() + "/weather/prod/forecast";
    portalUrl = portal.publicUrl() + "/portal/" + published.slug();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable part : running.reversed()) {
      part.close();
    }
    if (billing != null) {
      billing.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void subscribes_to_a_paid_plan_through_checkout_and_the_webhook_opens_the_gateway() {
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
  }

  @Test
  void a_paid_plan_that_needs_approval_is_paid_for_only_after_the_owner_approves() {
    try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
      Page page = dev.page();
      dev.signUpAndRegister("Reseller Ltd");
      String appId = dev.createApp("Partner bot");
      String key = dev.createKey("partner");

      dev.subscribe("Partner");

      // No checkout: the request waits for the owner, and the page says so.
      page.waitForURL("**/apps/" + appId);
      assertThat(page.locator(".flash").textContent())
          .contains("waits for the API owner's approval", "Once approved, you pay for it");
      Locator partner = dev.subscription("Partner");
      assertThat(partner.locator(".badge").textContent()).isEqualTo("pending approval");
      assertThat(partner.textContent()).contains("Awaiting the API owner's approval");
      assertThat(partner.getByRole(AriaRole.BUTTON, payFor("Partner")).count()).isZero();
      dev.shoot("app-awaiting-approval");
      assertThat(status(gateway, forecast, key)).isEqualTo(403);

      approve(appId);
      page.reload();
      assertThat(partner.locator(".badge").textContent()).isEqualTo("approved");
      assertThat(partner.textContent()).contains("Pay to start using the plan");
      dev.shoot("app-approved");
      assertThat(status(gateway, forecast, key)).isEqualTo(403);

      dev.payFor("Partner");
      dev.payAtCheckout();
      Await.until(
          PROPAGATION,
          () -> {
            page.reload();
            return dev.subscription("Partner").locator(".badge.active").count() == 1;
          },
          "the payment activates the approved subscription");
      Await.until(
          PROPAGATION,
          () -> status(gateway, forecast, key) == 200,
          "the approved, paid plan opens the gateway to the key");
    }
  }

  @Test
  void a_failed_bank_debit_keeps_the_plan_closed_tells_the_developer_and_can_be_paid_again() {
    try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
      Page page = dev.page();
      dev.signUpAndRegister("Direct Debit GmbH");
      dev.createApp("Debit bot");
      String key = dev.createKey("debit");
      dev.subscribe("Pro");
      String session = dev.payByBankDebitAtCheckout();
      Locator pro = dev.subscription("Pro");
      assertThat(pro.locator(".badge").textContent()).isEqualTo("payment processing");
      assertThat(pro.getByRole(AriaRole.BUTTON, payFor("Pro")).count()).isZero();

      assertThat(stripe.settleDelayedPayment(session, false)).isEqualTo(200);

      page.reload();
      assertThat(pro.locator(".badge").textContent()).isEqualTo("payment failed");
      assertThat(pro.textContent()).contains("Your payment did not go through");
      dev.shoot("app-payment-failed");
      assertThat(status(gateway, forecast, key)).isEqualTo(403);

      dev.payFor("Pro");
      dev.payAtCheckout();
      Await.until(
          PROPAGATION,
          () -> {
            page.reload();
            return dev.subscription("Pro").locator(".badge.active").count() == 1;
          },
          "paying again activates the subscription");
      Await.until(
          PROPAGATION,
          () -> status(gateway, forecast, key) == 200,
          "the paid plan opens the gateway to the key");
    }
  }

  static Locator.GetByRoleOptions payFor(String plan) {
    return new Locator.GetByRoleOptions().setName("Pay for " + plan);
  }

  /** The owner approves the app's pending subscription through the management API. */
  void approve(String appId) {
    String subs = "/v1/tenants/" + published.tenantId() + "/apps/" + appId + "/subscriptions";
    ApiClient.Answer listed = cp.client().get(owner, subs);
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    String pending =
        listed.items().stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("status").equals("pending_approval"))
            .findFirst()
            .orElseThrow()
            .getString("id");
    ApiClient.Answer approved = cp.client().post(owner, subs + "/" + pending + "/approve", null);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().getString("status")).isEqualTo("approved");
  }
}
