package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: signing in (on the console shared by every {@link ConsoleFeatureTest}). */
class ConsoleSigningInTest extends ConsoleFeatureTest {
  @Test
  void first_sign_in_leads_to_the_organization_that_was_created_as_its_owner() {
    HttpResponse<String> home = owner.page("/console/");

    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("Dashboard").contains("Acme");
    JsonObject tenant = api().get(apiToken, "/v1/tenants/" + tenantId).json();
    assertThat(tenant.getString("slug")).isEqualTo("acme-console");
    assertThat(tenant.getString("role")).isEqualTo("owner");
  }

  @Test
  void the_session_cookie_is_http_only_same_site_lax_and_renewed_at_sign_in() {
    ConsoleClient browser = new ConsoleClient(owner.base);
    HttpResponse<String> before = browser.get("/console/");
    String cookieBefore = sessionCookieHeader(before);
    assertThat(cookieBefore)
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Lax")
        .contains("Path=/console")
        .doesNotContain("Secure");
    String idBefore = browser.sessionCookie().getValue();

    browser.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);

    assertThat(browser.sessionCookie().getValue()).isNotEqualTo(idBefore);
    assertThat(browser.page("/console/").body()).contains("Create your organization");
  }

  @Test
  void pages_ask_to_sign_in_without_a_session() {
    ConsoleClient stranger = new ConsoleClient(owner.base);

    HttpResponse<String> answer = stranger.get(tenantPath + "apis");

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(location(answer))
        .isEqualTo("/console/login?return=%2Fconsole%2Ft%2F" + tenantId + "%2Fapis");
  }

  @Test
  void sign_in_then_returns_to_the_page_asked_for() {
    ConsoleClient browser = new ConsoleClient(owner.base);
    browser.get(tenantPath + "apis");
    HttpResponse<String> login =
        browser.get("/console/login?return=/console/t/" + tenantId + "/apis");
    assertThat(location(login)).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
    assertThat(location(login))
        .contains("code_challenge_method=S256")
        .contains("nonce=")
        .contains("state=");
  }

  @Test
  void sign_up_goes_to_keycloaks_registration_form() {
    ConsoleClient browser = new ConsoleClient(owner.base);

    HttpResponse<String> signUp = browser.get("/console/login?signup=1");
    HttpResponse<String> form = browser.absolute(location(signUp));

    assertThat(location(signUp))
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/registrations?");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("kc-register-form");
  }

  @Test
  void a_callback_that_no_sign_in_here_started_is_refused() {
    ConsoleClient browser = new ConsoleClient(owner.base);

    HttpResponse<String> answer = browser.get("/console/callback?state=forged&code=stolen");

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(answer.body()).contains("does not belong to a sign-in started in this browser");
    assertThat(browser.page("/console/").body()).contains("Sign in");
  }

  @Test
  void sign_out_ends_the_console_session_and_the_keycloak_session() {
    ConsoleClient browser = new ConsoleClient(owner.base);
    browser.signIn(DEMO_DEVELOPER, DEMO_DEVELOPER_PASSWORD);

    HttpResponse<String> out = browser.post("/console/logout", Map.of());

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(location(out))
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/logout?")
        .contains("id_token_hint=")
        .contains("post_logout_redirect_uri=");
    assertThat(browser.get("/console/organizations/new").statusCode()).isEqualTo(303);
    HttpResponse<String> keycloakLogout = browser.absolute(location(out));
    assertThat(keycloakLogout.statusCode()).isIn(200, 302);
  }
}
