package dev.turnpike.infra.e2e.portal;

import static dev.turnpike.infra.e2e.InProcessServices.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.infra.e2e.InProcessServices;
import dev.turnpike.metering.node.MeteringService;
import dev.turnpike.portal.Portal;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.portal.testing.TestPortalSettings;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer's whole first day, in the OS Chromium against the platform's real parts: Keycloak
 * (sign-up), the control plane (with its outbox relay), Kafka, PostgreSQL, a gateway node, metering
 * and the portal. The key they create in the portal opens the gateway, the calls show up on the
 * portal as usage, and revoking the key there closes the gateway to it. Screenshots land in {@code
 * target/screenshots/portal/}.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class, KeycloakExtension.class})
class DeveloperJourneyTest {
  static final Path SHOTS = Path.of("target", "screenshots", "portal");
  static final Duration PROPAGATION = Duration.ofSeconds(30);

  @Test
  void signs_up_subscribes_to_a_free_plan_calls_the_gateway_sees_usage_and_revokes_the_key(
      TestDatabase db, KafkaBroker kafka, KeycloakServer keycloak, @TempDir Path gatewayData) {
    try (TestControlPlane cp =
            TestControlPlane.start(
                db,
                kafka.bootstrapServers(),
                Map.of(
                    "TURNPIKE_CP_OIDC_ISSUER", keycloak.issuer(),
                    "TURNPIKE_CP_OIDC_JWKS_URL", keycloak.jwksUrl(),
                    "TURNPIKE_CP_OIDC_LEEWAY_SECONDS", "5"));
        MeteringService metering = InProcessServices.metering(db, kafka, "portal-e2e");
        GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData);
        Portal portal = startPortal(cp, keycloak, gateway);
        Chromium chromium = Chromium.launch()) {
      String owner =
          keycloak.passwordGrant(
              TurnpikeRealm.CLI_CLIENT,
              TurnpikeRealm.DEMO_OWNER,
              TurnpikeRealm.DEMO_OWNER_PASSWORD);
      PublishedApi published = PublishedApi.create(cp.client(), owner);
      Await.until(PROPAGATION, metering::ready, "metering consumes usage");
      String forecast = "/" + published.slug() + "/weather/prod/forecast";
      String portalUrl = portal.publicUrl() + "/portal/" + published.slug();

      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
        Page page = dev.page();
        dev.signUpAndRegister("Journey Ltd");
        dev.createApp("Forecast bot");
        dev.subscribe("Free");
        assertThat(page.locator(".flash").textContent()).contains("Subscribed to Free");
        String key = dev.createKey("bot");
        String prefix = page.locator("tr[data-prefix]").first().getAttribute("data-prefix");

        Await.until(
            PROPAGATION,
            () -> status(gateway, forecast, key) == 200,
            "the new key opens the gateway");

        // The API page's try-it panel reaches the same gateway with the pasted key.
        dev.open("/apis/weather");
        page.getByLabel("Path", new Page.GetByLabelOptions().setExact(true)).fill("/forecast");
        page.getByLabel("API key", new Page.GetByLabelOptions().setExact(true)).fill(key);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send request"))
            .click();
        page.locator(".try-status").waitFor();
        assertThat(page.locator(".try-status").textContent()).isEqualTo("200");
        assertThat(page.locator("#try-result pre").textContent()).contains("sunny");
        dev.shoot("api-try-it");
        for (int i = 0; i < 3; i++) {
          assertThat(status(gateway, forecast, key)).isEqualTo(200);
        }

        // Metering counts the five admitted calls (the first 200 above, try-it, three more); the
        // app page shows them per key and day, against the free plan's daily quota.
        page.navigate(portalUrl + "/apps");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Forecast bot")).click();
        String appPage = page.url();
        Await.until(
            PROPAGATION,
            () -> {
              page.navigate(appPage);
              return "5 of 1000".equals(page.locator("table.quotas td.used").first().textContent());
            },
            "the portal shows the five calls metering counted");
        assertThat(page.locator("table.quotas td.calls").first().textContent()).isEqualTo("5");
        assertThat(page.locator("table.quotas td.remaining").first().textContent())
            .isEqualTo("995");
        assertThat(page.locator("tr[data-prefix='" + prefix + "'] td.last-used").textContent())
            .isNotEqualTo("never");
        dev.shoot("app-usage");

        dev.revokeKey(prefix);
        assertThat(page.locator("tr[data-prefix='" + prefix + "'] .key-status").textContent())
            .isEqualTo("revoked");
        dev.shoot("app-revoked");

        Await.until(
            PROPAGATION,
            () -> status(gateway, forecast, key) == 403,
            "the revoked key is refused by the gateway");
      }
    }
  }

  static Portal startPortal(TestControlPlane cp, KeycloakServer keycloak, GatewayNode gateway) {
    return Portal.start(
        TestPortalSettings.of(cp, keycloak, "http://127.0.0.1:" + gateway.port(), Map.of()));
  }
}
