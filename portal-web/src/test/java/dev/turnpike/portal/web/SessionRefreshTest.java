package dev.turnpike.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.options.RequestOptions;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.portal.Portal;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.portal.testing.TestPortalSettings;
import dev.turnpike.testkit.MutableClock;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.http.RecordingProxy;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A developer's session outlives its access token (Keycloak's are short-lived): the portal
 * refreshes it at Keycloak on the next page and carries on; when the refresh fails the session is
 * signed out and the developer sent to sign in, never shown an error. The portal's own calls to
 * Keycloak go through a recording proxy, so the test sees each token call.
 */
@Tag("keycloak")
@Tag("browser")
@ExtendWith({EmbeddedPostgresExtension.class, KeycloakExtension.class})
class SessionRefreshTest {
  static final String TOKEN_CALL =
      "POST /realms/" + TurnpikeRealm.NAME + "/protocol/openid-connect/token";

  @Test
  void an_expired_access_token_is_refreshed_and_a_failed_refresh_signs_the_session_out(
      TestDatabase db, KeycloakServer keycloak) {
    MutableClock clock = new MutableClock(Instant.now());
    try (RecordingProxy backChannel = RecordingProxy.start();
        TestControlPlane cp =
            TestControlPlane.start(
                db,
                null,
                Map.of(
                    "TURNPIKE_CP_OIDC_ISSUER", keycloak.issuer(),
                    "TURNPIKE_CP_OIDC_JWKS_URL", keycloak.jwksUrl(),
                    "TURNPIKE_CP_OIDC_LEEWAY_SECONDS", "5"));
        Chromium chromium = Chromium.launch()) {
      backChannel.forwardTo(keycloak.baseUrl());
      String owner =
          keycloak.passwordGrant(
              TurnpikeRealm.CLI_CLIENT,
              TurnpikeRealm.DEMO_OWNER,
              TurnpikeRealm.DEMO_OWNER_PASSWORD);
      PublishedApi published = PublishedApi.create(cp.client(), owner);
      Portal portal = Portal.start(settings(cp, keycloak, backChannel), clock);
      String portalUrl = portal.publicUrl() + "/portal/" + published.slug();
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, null)) {
        dev.signUpAndRegister("Long Sessions Ltd");
        dev.createApp("Overnight job");
        assertThat(tokenCalls(backChannel)).as("the sign-in's code exchange").isEqualTo(1);

        clock.advance(Duration.ofHours(1));
        dev.open("/apps");
        assertThat(dev.page().content()).contains("Overnight job");
        assertThat(tokenCalls(backChannel)).as("one refresh").isEqualTo(2);

        clock.advance(Duration.ofHours(1));
        backChannel.forwardTo("http://127.0.0.1:9");
        APIResponse apps = get(dev, portalUrl + "/apps");
        assertThat(apps.status()).isEqualTo(303);
        assertThat(apps.headers().get("location")).contains("/signin?return=");
        assertThat(tokenCalls(backChannel)).as("the failed refresh").isEqualTo(3);
        // Signed out: the next page does not try the old refresh token again.
        assertThat(get(dev, portalUrl + "/apps").status()).isEqualTo(303);
        assertThat(tokenCalls(backChannel)).isEqualTo(3);
      } finally {
        portal.close();
      }
    }
  }

  static PortalSettings settings(
      TestControlPlane cp, KeycloakServer keycloak, RecordingProxy backChannel) {
    return TestPortalSettings.of(
        cp,
        keycloak,
        TestPortalSettings.NO_GATEWAY,
        Map.of(
            "TURNPIKE_PORTAL_OIDC_INTERNAL_URL",
            "http://127.0.0.1:" + backChannel.port() + "/realms/" + TurnpikeRealm.NAME));
  }

  /** A GET with the browser's cookies, its redirect not followed. */
  static APIResponse get(DeveloperBrowser dev, String url) {
    return dev.context().request().get(url, RequestOptions.create().setMaxRedirects(0));
  }

  static long tokenCalls(RecordingProxy backChannel) {
    return backChannel.requests().stream().filter(TOKEN_CALL::equals).count();
  }
}
