package dev.turnpike.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.portal.testing.TestPortalSettings;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.SplitHorizonKeycloak;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portal with Keycloak under two addresses ({@link SplitHorizonKeycloak}): the browser (the OS
 * Chromium) reaches it through the public entrance, the portal and the control plane directly
 * ({@code TURNPIKE_PORTAL_OIDC_INTERNAL_URL}, {@code TURNPIKE_CP_OIDC_JWKS_URL}). Only the
 * browser's pages take the public road.
 */
@Tag("keycloak")
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBackChannelTest {
  static final String REALM = SplitHorizonKeycloak.REALM;

  SplitHorizonKeycloak horizon;
  KeycloakServer keycloak;
  TestControlPlane cp;
  Portal portal;
  Chromium chromium;
  String portalUrl;

  @BeforeAll
  void start(TestDatabase db) {
    horizon = SplitHorizonKeycloak.start();
    keycloak = horizon.keycloak();
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_CP_OIDC_ISSUER", keycloak.issuer(),
                "TURNPIKE_CP_OIDC_JWKS_URL", keycloak.jwksUrl(),
                "TURNPIKE_CP_OIDC_LEEWAY_SECONDS", "5"));
    String owner =
        keycloak.passwordGrant(
            TurnpikeRealm.CLI_CLIENT, TurnpikeRealm.DEMO_OWNER, TurnpikeRealm.DEMO_OWNER_PASSWORD);
    PublishedApi published = PublishedApi.create(cp.client(), owner);
    portal =
        Portal.start(
            TestPortalSettings.of(
                cp,
                keycloak,
                TestPortalSettings.NO_GATEWAY,
                Map.of("TURNPIKE_PORTAL_OIDC_INTERNAL_URL", keycloak.realmUrl())));
    portalUrl = portal.publicUrl() + "/portal/" + published.slug();
    chromium = Chromium.launch();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (portal != null) {
      portal.close();
    }
    if (cp != null) {
      cp.close();
    }
    if (horizon != null) {
      horizon.close();
    }
  }

  @Test
  void a_developer_signs_up_and_out_through_the_public_address_while_the_portal_calls_inside() {
    try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, null)) {
      Page page = dev.page();

      // Through Keycloak's registration page (public), the code exchange (internal) and the
      // control plane, which checks the access token's public issuer with keys read inside.
      dev.signUpAndRegister("Split Horizon Ltd");
      assertThat(page.locator("h1").textContent()).isEqualTo("Your apps");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
      page.waitForURL(portalUrl + "**");

      assertThat(horizon.publicRequests())
          .contains("GET " + REALM + "/protocol/openid-connect/registrations")
          .contains("GET " + REALM + "/protocol/openid-connect/logout");
      assertThat(horizon.backChannelCallsOnThePublicRoad()).isEmpty();
      assertThat(
              page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in"))
                  .isVisible())
          .isTrue();
    }
  }
}
