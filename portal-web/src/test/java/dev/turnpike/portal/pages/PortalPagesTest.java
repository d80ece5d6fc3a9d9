package dev.turnpike.portal.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.portal.Portal;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.portal.testing.TestPortalSettings;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portal's pages in the OS Chromium against a real Keycloak (sign-up on its registration page,
 * authorization code flow with PKCE) and a real control plane that checks Keycloak's tokens.
 * Screenshots land in {@code target/screenshots/portal/}.
 */
@Tag("keycloak")
@ExtendWith({EmbeddedPostgresExtension.class, KeycloakExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalPagesTest {
  static final Path SHOTS = Path.of("target", "screenshots", "portal");

  TestControlPlane cp;
  Portal portal;
  Chromium chromium;
  PublishedApi published;
  String owner;
  String portalUrl;

  @BeforeAll
  void start(TestDatabase db, KeycloakServer keycloak) {
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_CP_OIDC_ISSUER", keycloak.issuer(),
                "TURNPIKE_CP_OIDC_JWKS_URL", keycloak.jwksUrl(),
                "TURNPIKE_CP_OIDC_LEEWAY_SECONDS", "5"));
    owner =
        keycloak.passwordGrant(
            TurnpikeRealm.CLI_CLIENT, TurnpikeRealm.DEMO_OWNER, TurnpikeRealm.DEMO_OWNER_PASSWORD);
    published = PublishedApi.create(cp.client(), owner);
    portal =
        Portal.start(
            TestPortalSettings.of(
                cp,
                keycloak,
                TestPortalSettings.NO_GATEWAY,
                Map.of("TURNPIKE_PORTAL_HOST_DOMAIN", "portal.test")));
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
  }

  @Nested
  class Anonymous {
    @Test
    void sees_the_branded_catalog_searches_it_and_reads_an_apis_page() {
      try (DeveloperBrowser visitor = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
        Page page = visitor.page();
        visitor.open("");
        assertThat(page.locator(".brand").textContent()).contains("Acme Developers");
        assertThat(page.locator(".top").evaluate("e => getComputedStyle(e).backgroundColor"))
            .isEqualTo("rgb(11, 110, 79)");
        visitor.shoot("catalog");
        page.getByLabel("Search APIs").fill("forecast");
        page.getByLabel("Search APIs").press("Enter");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Weather")).click();
        assertThat(page.locator("table").first().textContent()).contains("Free", "49.00 USD");
        page.locator("#swagger .opblock").first().waitFor();
        assertThat(page.locator("#swagger").textContent()).contains("/forecast");
        visitor.shoot("api");
      }
    }

    @Test
    void documents_each_stage_as_deployed_not_the_owners_undeployed_edits() {
      StagedApi staged = StagedApi.create(cp.client(), owner);
      String url = portal.publicUrl() + "/portal/" + staged.slug();
      try (DeveloperBrowser visitor = new DeveloperBrowser(chromium, url, SHOTS)) {
        Page page = visitor.page();
        visitor.open("/apis/weather");
        Locator operations = page.locator("table.operations tbody th");
        // The first stage by name: beta, which serves the later deployment.
        assertThat(page.locator(".stage-picker [aria-current=page]").textContent())
            .isEqualTo("beta");
        assertThat(operations.allTextContents()).containsExactly("/alerts", "/forecast");
        page.locator("#swagger .opblock").first().waitFor();
        assertThat(page.locator("#swagger").textContent()).contains("/alerts");
        assertThat(page.locator("#try-stage").inputValue()).isEqualTo("beta");
        Locator plans = page.locator("table").first().locator("tbody tr");
        assertThat(
                plans.filter(new Locator.FilterOptions().setHasText("Beta testers")).textContent())
            .contains("beta")
            .doesNotContain("prod");
        assertThat(
                plans.filter(new Locator.FilterOptions().setHasText("Free")).first().textContent())
            .contains("prod");
        visitor.shoot("api-stage-beta");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("prod").setExact(true))
            .click();
        page.waitForURL("**?stage=prod*");
        assertThat(operations.allTextContents()).containsExactly("/forecast");
        assertThat(page.locator("#deployed-version").textContent()).contains("prod", "UTC");
        page.locator("#swagger .opblock").first().waitFor();
        assertThat(page.locator("#swagger").textContent())
            .contains("/forecast")
            .doesNotContain("/alerts")
            .doesNotContain(StagedApi.UNDEPLOYED);
        assertThat(page.locator("#try-stage").inputValue()).isEqualTo("prod");
        assertThat(page.locator("#try-paths option").evaluateAll("os => os.map(o => o.value)"))
            .isEqualTo(java.util.List.of("/forecast"));
        assertThat(page.content()).doesNotContain(StagedApi.UNDEPLOYED);

        var unknown = page.navigate(url + "/apis/weather?stage=staging");
        assertThat(unknown.status()).isEqualTo(404);
      }
    }

    @Test
    void the_keyboard_reaches_the_content_and_the_search_first() {
      try (DeveloperBrowser visitor = new DeveloperBrowser(chromium, portalUrl, null)) {
        Page page = visitor.page();
        visitor.open("");
        page.keyboard().press("Tab");
        assertThat(page.evaluate("() => document.activeElement.textContent"))
            .isEqualTo("Skip to content");
        page.keyboard().press("Enter");
        assertThat(page.url()).endsWith("#main");
        page.getByLabel("Search APIs").focus();
        page.keyboard().type("weather");
        page.keyboard().press("Enter");
        page.waitForURL("**?q=weather");
        assertThat(page.locator(".card h2").textContent()).isEqualTo("Weather");
      }
    }

    @Test
    void an_unknown_page_is_a_friendly_404_without_internals() {
      try (DeveloperBrowser visitor = new DeveloperBrowser(chromium, portalUrl, null)) {
        var response = visitor.page().navigate(portalUrl + "/apis/nothing-here");
        assertThat(response.status()).isEqualTo(404);
        assertThat(visitor.page().locator("h1").textContent()).isEqualTo("Page not found");
        assertThat(visitor.page().content()).doesNotContain("Exception").doesNotContain("at dev.");
      }
    }

    @Test
    void a_private_page_sends_a_visitor_to_sign_in() {
      try (DeveloperBrowser visitor = new DeveloperBrowser(chromium, portalUrl, null)) {
        visitor.open("/apps");
        assertThat(visitor.page().url()).contains("/realms/turnpike/protocol/openid-connect/auth");
        assertThat(visitor.page().url()).contains("code_challenge_method=S256");
      }
    }

    @Test
    void a_tenants_own_host_serves_its_portal() throws Exception {
      String page = getByHost(published.slug() + ".portal.test", "/");
      assertThat(page).startsWith("HTTP/1.1 200").contains("Acme Developers", "Weather");
      assertThat(getByHost("no-such-tenant.portal.test", "/")).startsWith("HTTP/1.1 404");
      // Another tenant's host serves only its own portal, never this one's pages.
      assertThat(getByHost("other.portal.test", "/portal/" + published.slug() + "/apis/weather"))
          .startsWith("HTTP/1.1 404");
    }

    @Test
    void pages_carry_a_self_only_content_security_policy() {
      try (DeveloperBrowser visitor = new DeveloperBrowser(chromium, portalUrl, null)) {
        var response = visitor.page().navigate(portalUrl);
        assertThat(response.headers().get("content-security-policy"))
            .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'");
        assertThat(response.headers().get("x-content-type-options")).isEqualTo("nosniff");
      }
    }
  }

  @Nested
  class Developer {
    @Test
    void signs_up_creates_an_app_subscribes_and_manages_keys() {
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
        Page page = dev.page();
        dev.signUpAndRegister("Tiny Startup");
        Cookie session =
            dev.context().cookies().stream()
                .filter(c -> c.name.equals("turnpike_portal"))
                .findFirst()
                .orElseThrow();
        assertThat(session.httpOnly).isTrue();
        assertThat(session.sameSite).isEqualTo(SameSiteAttribute.LAX);

        dev.createApp("Weather widget");
        dev.subscribe("Free");
        assertThat(page.locator(".flash").textContent()).contains("Subscribed to Free");
        String key = dev.createKey("production");
        assertThat(key).hasSizeGreaterThan(20);
        dev.shoot("app-new-key");
        String prefix = page.locator("tr[data-prefix]").first().getAttribute("data-prefix");
        assertThat(key).startsWith(prefix);

        // Shown once: the next view of the page has only the prefix.
        page.reload();
        assertThat(page.locator("#new-key-value").count()).isZero();
        assertThat(page.content()).doesNotContain(key);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rotate key " + prefix))
            .click();
        page.locator("#new-key-value").waitFor();
        assertThat(page.locator(".old-valid-until").textContent()).endsWith("UTC");

        dev.revokeKey(prefix);
        assertThat(page.locator("tr[data-prefix='" + prefix + "'] .key-status").textContent())
            .isEqualTo("revoked");
        dev.shoot("app");
        dev.open("/apps");
        dev.shoot("apps");
        dev.open("/invoices");
        assertThat(page.locator("h1").textContent()).isEqualTo("Invoices");
        dev.shoot("invoices");
      }
    }

    @Test
    void sees_only_their_own_apps_and_a_404_page_for_someone_elses() {
      try (DeveloperBrowser alice = new DeveloperBrowser(chromium, portalUrl, null);
          DeveloperBrowser bob = new DeveloperBrowser(chromium, portalUrl, null)) {
        alice.signUpAndRegister("Alice Co");
        String app = alice.createApp("Alice's secret app");
        bob.signUpAndRegister("Bob Co");
        bob.open("/apps");
        assertThat(bob.page().content()).doesNotContain("Alice's secret app");
        var response = bob.page().navigate(portalUrl + "/apps/" + app);
        assertThat(response.status()).isEqualTo(404);
        assertThat(bob.page().locator("h1").textContent()).isEqualTo("Page not found");
        APIResponse delete =
            bob.context()
                .request()
                .post(
                    portalUrl + "/apps/" + app + "/delete",
                    RequestOptions.create()
                        .setForm(FormData.create().set("_csrf", csrf(bob)))
                        .setMaxRedirects(0));
        assertThat(delete.status()).isEqualTo(404);
        alice.open("/apps");
        assertThat(alice.page().content()).contains("Alice's secret app");
      }
    }

    @Test
    void a_form_post_without_the_csrf_token_is_refused_with_a_page() {
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, null)) {
        dev.signUpAndRegister("Careful Ltd");
        APIResponse forged =
            dev.context()
                .request()
                .post(
                    portalUrl + "/apps",
                    RequestOptions.create()
                        .setForm(FormData.create().set("name", "forged"))
                        .setMaxRedirects(0));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("This form has expired");
        dev.open("/apps");
        assertThat(dev.page().content()).doesNotContain("forged");
      }
    }

    @Test
    void a_paid_plan_without_billing_says_so_and_subscribes_nothing() {
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, null)) {
        dev.signUpAndRegister("Paying Co");
        dev.createApp("Paid app");
        dev.subscribe("Pro");
        assertThat(dev.page().locator(".flash").textContent()).contains("billing");
        assertThat(dev.page().locator("#subs-title + p.empty").count()).isEqualTo(1);
      }
    }
  }

  @Nested
  class BlockedDeveloper {
    @Test
    void sees_why_on_the_apps_and_app_pages_with_nothing_to_change_and_unblocking_restores_it() {
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
        Page page = dev.page();
        dev.signUpAndRegister("Scraper Inc");
        String app = dev.createApp("Crawler");
        dev.subscribe("Free");
        String key = dev.createKey("bulk");
        String developers = "/v1/tenants/" + published.tenantId() + "/developers/";
        String userId = developerId(dev.username + "@example.com");
        var blocked =
            cp.client()
                .post(
                    owner,
                    developers + userId + "/block",
                    new io.vertx.core.json.JsonObject()
                        .put("reason", "Crawling the forecast faster than the terms allow"));
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(200);

        dev.open("/apps");
        Locator notice = page.locator(".blocked-notice");
        assertThat(notice.locator("h2").textContent())
            .isEqualTo("Your access to this portal is blocked");
        assertThat(notice.locator(".reason").textContent())
            .isEqualTo("Crawling the forecast faster than the terms allow");
        assertThat(page.locator(".app-status").textContent()).contains("suspended");
        assertThat(
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create app"))
                    .count())
            .isZero();
        dev.shoot("apps-blocked");
        dev.open("/apps/" + app);
        assertThat(page.locator(".blocked-notice .reason").textContent())
            .isEqualTo("Crawling the forecast faster than the terms allow");
        assertThat(page.locator("tr[data-prefix]").count()).isEqualTo(1);
        assertThat(page.locator("tr[data-prefix] .key-status").textContent())
            .isEqualTo("suspended");
        assertThat(
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key"))
                    .count())
            .isZero();
        assertThat(page.locator("button:has-text('Rotate')").count()).isZero();
        assertThat(page.content()).doesNotContain(key);
        dev.shoot("app-blocked");

        assertThat(cp.client().post(owner, developers + userId + "/unblock", null).status())
            .isEqualTo(200);
        page.reload();
        assertThat(page.locator(".blocked-notice").count()).isZero();
        assertThat(page.locator("tr[data-prefix] .key-status").textContent()).isEqualTo("enabled");
        assertThat(
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key"))
                    .count())
            .isEqualTo(1);
      }
    }

    String developerId(String email) {
      return cp
          .client()
          .get(owner, "/v1/tenants/" + published.tenantId() + "/developers")
          .items()
          .stream()
          .map(io.vertx.core.json.JsonObject.class::cast)
          .filter(d -> email.equals(d.getString("email")))
          .findFirst()
          .orElseThrow()
          .getString("userId");
    }
  }

  @Nested
  class Caps {
    @Test
    void a_developer_at_the_key_cap_is_told_what_to_do_and_no_key_is_made() {
      PublishedApi capped = PublishedApi.create(cp.client(), owner);
      var set =
          cp.client()
              .put(
                  owner,
                  "/v1/tenants/" + capped.tenantId() + "/developer-caps",
                  new io.vertx.core.json.JsonObject().put("keysPerApp", 1));
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      String url = portal.publicUrl() + "/portal/" + capped.slug();
      try (DeveloperBrowser dev = new DeveloperBrowser(chromium, url, SHOTS)) {
        Page page = dev.page();
        dev.signUpAndRegister("Many Keys Ltd");
        dev.createApp("Fleet");
        dev.subscribe("Free");
        dev.createKey("first");
        page.reload();

        page.getByLabel("Key name").fill("second");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        page.waitForSelector(".flash.error");

        assertThat(page.locator(".flash.error").textContent())
            .contains("may hold at most 1")
            .contains("revoke a key");
        assertThat(page.locator("tr[data-prefix]").count()).isEqualTo(1);
        dev.shoot("app-key-cap");
      }
    }
  }

  /** A raw HTTP/1.1 GET with the given Host header, as a browser on that host would send. */
  String getByHost(String host, String path) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", portal.port())) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: "
                      + host
                      + ":"
                      + portal.port()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static String csrf(DeveloperBrowser browser) {
    return browser.page().locator("input[name=_csrf]").first().inputValue();
  }
}
