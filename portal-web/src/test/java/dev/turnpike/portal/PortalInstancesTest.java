package dev.turnpike.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.portal.testing.TestPortalSettings;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two developer portals whose sessions are in PostgreSQL through the portal's sessions-only login
 * (V41): a developer signed in through the real Keycloak on one is signed in on the other, a form
 * one instance issued posts to the other, the session outlives the instance that began it, and it
 * ends when it expires. A portal keeping its sessions in memory knows none of it. Cookies ignore
 * the port, so one browser on localhost reaches every instance with the same session cookie.
 */
@Tag("keycloak")
@Tag("browser")
@ExtendWith({EmbeddedPostgresExtension.class, KeycloakExtension.class})
class PortalInstancesTest {
  private final List<Portal> portals = new ArrayList<>();

  @AfterEach
  void stop() {
    portals.forEach(Portal::close);
  }

  @Test
  void a_session_begun_on_one_portal_is_served_by_another_and_outlives_a_restart(
      TestDatabase db, KeycloakServer keycloak) {
    try (TestControlPlane cp =
            TestControlPlane.start(
                db,
                null,
                Map.of(
                    "TURNPIKE_CP_OIDC_ISSUER", keycloak.issuer(),
                    "TURNPIKE_CP_OIDC_JWKS_URL", keycloak.jwksUrl()));
        Chromium chromium = Chromium.launch()) {
      String owner =
          keycloak.passwordGrant(
              TurnpikeRealm.CLI_CLIENT,
              TurnpikeRealm.DEMO_OWNER,
              TurnpikeRealm.DEMO_OWNER_PASSWORD);
      PublishedApi published = PublishedApi.create(cp.client(), owner);
      Map<String, String> sessionsInDb =
          Map.of(
              "TURNPIKE_PORTAL_SESSION_DB_URL", db.jdbcUrl(),
              "TURNPIKE_PORTAL_SESSION_DB_USER", db.portalSessionsUser(),
              "TURNPIKE_PORTAL_SESSION_DB_PASSWORD", db.password());
      Portal a = start(cp, keycloak, sessionsInDb);
      Portal b = start(cp, keycloak, sessionsInDb);
      String path = "/portal/" + published.slug();
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, a.publicUrl() + path, null)) {
        dev.signUpAndRegister("Twin Portals Ltd");

        // Signed in on B with the session A began; a form A issued posts to B.
        dev.page().navigate(b.publicUrl() + path + "/apps");
        assertThat(dev.page().url()).endsWith(path + "/apps");
        assertThat(dev.page().locator("h1").textContent()).doesNotContain("Sign in");
        dev.page().navigate(a.publicUrl() + path + "/apps");
        String csrf = dev.page().locator("input[name=_csrf]").first().inputValue();
        APIResponse created =
            dev.context()
                .request()
                .post(
                    b.publicUrl() + path + "/apps",
                    RequestOptions.create()
                        .setForm(FormData.create().set("_csrf", csrf).set("name", "Made on B"))
                        .setMaxRedirects(0));
        assertThat(created.status()).isEqualTo(303);
        assertThat(created.headers().get("location")).contains(path + "/apps/");

        // A goes away; a new instance (a restart) serves the same session.
        a.close();
        portals.remove(a);
        Portal restarted = start(cp, keycloak, sessionsInDb);
        dev.page().navigate(restarted.publicUrl() + path + "/apps");
        assertThat(dev.page().url()).endsWith(path + "/apps");
        assertThat(dev.page().content()).contains("Made on B");

        // A portal with its sessions in its own memory does not know the developer (it answers
        // with a fresh session's cookie: the browser's own is put back after).
        List<Cookie> cookies = dev.context().cookies();
        Portal inMemory = start(cp, keycloak, Map.of());
        assertThat(signInRedirect(dev, inMemory.publicUrl() + path + "/apps")).isTrue();
        dev.context().clearCookies();
        dev.context().addCookies(cookies);
        assertThat(signInRedirect(dev, b.publicUrl() + path + "/apps")).isFalse();

        // Expired in the database: signed out on every instance at once.
        db.ownerDsl()
            .execute(
                "update web_sessions set expires_at = now() - interval '1 second'"
                    + " where site = 'turnpike_portal'");
        assertThat(signInRedirect(dev, b.publicUrl() + path + "/apps")).isTrue();
      }
    }
  }

  private Portal start(TestControlPlane cp, KeycloakServer keycloak, Map<String, String> env) {
    Portal portal =
        Portal.start(TestPortalSettings.of(cp, keycloak, TestPortalSettings.NO_GATEWAY, env));
    portals.add(portal);
    return portal;
  }

  /** Whether a GET with the browser's cookies is sent to sign in. */
  private static boolean signInRedirect(DeveloperBrowser dev, String url) {
    APIResponse response =
        dev.context().request().get(url, RequestOptions.create().setMaxRedirects(0));
    return response.status() == 303 && response.headers().get("location").contains("/signin");
  }
}
