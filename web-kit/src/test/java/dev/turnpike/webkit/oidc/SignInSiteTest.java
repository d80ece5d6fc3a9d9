package dev.turnpike.webkit.oidc;

import static dev.turnpike.webkit.oidc.OidcClientTest.await;
import static dev.turnpike.webkit.oidc.OidcClientTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.webkit.CsrfGuard;
import dev.turnpike.webkit.SecurityHeaders;
import dev.turnpike.webkit.SessionPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A small site built from the web kit's pieces as the console and the portal build theirs (session
 * policy, security headers, CSRF guard, OIDC sign-in), attacked through HTTP: forged and replayed
 * sign-in answers, planted session ids, forms posted from elsewhere.
 */
class SignInSiteTest {
  Vertx vertx;
  StandInProvider provider;
  OidcClient oidc;
  HttpServer server;
  String base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    provider = StandInProvider.start();
    oidc = OidcClient.create(vertx, provider.settings());
  }

  @AfterEach
  void stop() throws Exception {
    oidc.close();
    provider.close();
    await(vertx.close());
  }

  void site(boolean secure, Duration absolute) throws Exception {
    Router router = Router.router(vertx);
    new SessionPolicy("site", "/", secure, Duration.ofMinutes(30), absolute)
        .mount(router, LocalSessionStore.create(vertx));
    router.route().handler(SecurityHeaders.policy(List.of("default-src 'none'")));
    router.post().handler(BodyHandler.create(false));
    router.post().handler(new CsrfGuard(ctx -> ctx.response().setStatusCode(403).end()));
    OidcLogin login = new OidcLogin(oidc);
    router
        .get("/login")
        .handler(
            ctx ->
                login
                    .begin(ctx, base + "/callback", false, Map.of("return", "/who"))
                    .onSuccess(url -> redirect(ctx, url))
                    .onFailure(ctx::fail));
    router
        .get("/callback")
        .handler(
            ctx ->
                login
                    .complete(ctx)
                    .onSuccess(
                        done -> {
                          SessionTokens.signIn(ctx, done.signedIn().tokens())
                              .put("who", done.signedIn().subject());
                          redirect(ctx, done.carried().get("return"));
                        })
                    .onFailure(
                        e ->
                            ctx.response()
                                .setStatusCode(e instanceof LoginRefused ? 400 : 502)
                                .end(e.getMessage())));
    router.get("/who").handler(ctx -> ctx.end(String.valueOf(ctx.session().<String>get("who"))));
    router.get("/csrf").handler(ctx -> ctx.end(CsrfGuard.token(ctx.session())));
    router.post("/form").handler(ctx -> ctx.end("done"));
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    base = "http://127.0.0.1:" + server.actualPort();
  }

  static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  /** A browser: keeps its cookies, follows no redirect. */
  final class Browser {
    final CookieManager cookies = new CookieManager();
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Starts a sign-in; answers the provider URL's query (state, nonce, ...). */
    Map<String, String> startSignIn() throws IOException, InterruptedException {
      HttpResponse<String> login = get("/login");
      assertThat(login.statusCode()).isEqualTo(303);
      return query(login.headers().firstValue("Location").orElseThrow());
    }

    /** Comes back from the provider with its answer. */
    HttpResponse<String> callback(String state, String code) throws Exception {
      return get(
          "/callback?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8) + "&code=" + code);
    }

    String sessionId() {
      return cookies.getCookieStore().getCookies().stream()
          .filter(cookie -> cookie.getName().equals("site"))
          .map(HttpCookie::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  long tokenCalls() {
    return provider.calls.stream().filter(call -> call.endsWith("/token")).count();
  }

  @Nested
  class SigningIn {
    @BeforeEach
    void open() throws Exception {
      site(false, Duration.ofHours(12));
    }

    @Test
    void signs_in_under_a_new_session_id_so_an_id_planted_before_is_worthless() throws Exception {
      Browser victim = new Browser();
      victim.get("/who");
      String planted = victim.sessionId();
      assertThat(planted).isNotNull();
      Map<String, String> login = victim.startSignIn();
      provider.idToken = provider.signed(provider.claims(login.get("nonce")));

      HttpResponse<String> back = victim.callback(login.get("state"), "code");

      assertThat(back.statusCode()).isEqualTo(303);
      assertThat(victim.sessionId()).isNotEqualTo(planted);
      assertThat(victim.get("/who").body()).isEqualTo("person-1");
      Browser attacker = new Browser();
      attacker.cookies.getCookieStore().add(URI.create(base), plant(planted));
      assertThat(attacker.get("/who").body()).isEqualTo("null");
    }

    @Test
    void an_answer_with_another_state_is_refused_and_uses_the_sign_in_up() throws Exception {
      Browser browser = new Browser();
      Map<String, String> login = browser.startSignIn();
      provider.idToken = provider.signed(provider.claims(login.get("nonce")));

      HttpResponse<String> forged = browser.callback("forged", "code");
      HttpResponse<String> late = browser.callback(login.get("state"), "code");

      assertThat(forged.statusCode()).isEqualTo(400);
      assertThat(forged.body()).contains("does not belong to a sign-in started in this browser");
      assertThat(late.statusCode()).isEqualTo(400);
      assertThat(tokenCalls()).as("no code was exchanged").isZero();
      assertThat(browser.get("/who").body()).isEqualTo("null");
    }

    @Test
    void an_answer_replayed_in_a_browser_that_started_no_sign_in_is_refused() throws Exception {
      Map<String, String> login = new Browser().startSignIn();
      provider.idToken = provider.signed(provider.claims(login.get("nonce")));
      Browser other = new Browser();

      HttpResponse<String> replayed = other.callback(login.get("state"), "stolen-code");

      assertThat(replayed.statusCode()).isEqualTo(400);
      assertThat(tokenCalls()).isZero();
      assertThat(other.get("/who").body()).isEqualTo("null");
    }

    @Test
    void an_id_token_minted_for_another_sign_in_is_refused() throws Exception {
      Browser browser = new Browser();
      Map<String, String> login = browser.startSignIn();
      provider.idToken = provider.signed(provider.claims("nonce-of-another-sign-in"));

      HttpResponse<String> back = browser.callback(login.get("state"), "code");

      assertThat(back.statusCode()).isEqualTo(502);
      assertThat(back.body()).contains("nonce");
      assertThat(browser.get("/who").body()).isEqualTo("null");
    }

    @Test
    void the_code_exchange_proves_the_verifier_whose_challenge_the_browser_carried()
        throws Exception {
      Browser browser = new Browser();
      Map<String, String> login = browser.startSignIn();
      provider.idToken = provider.signed(provider.claims(login.get("nonce")));

      browser.callback(login.get("state"), "code");

      String verifier = provider.lastTokenForm.get("code_verifier");
      assertThat(login).containsEntry("code_challenge_method", "S256");
      assertThat(OidcClient.challenge(verifier)).isEqualTo(login.get("code_challenge"));
    }

    @Test
    void a_declined_sign_in_is_refused_before_any_token_is_asked_for() throws Exception {
      Browser browser = new Browser();
      Map<String, String> login = browser.startSignIn();

      HttpResponse<String> back =
          browser.get("/callback?state=" + login.get("state") + "&error=access_denied");

      assertThat(back.statusCode()).isEqualTo(400);
      assertThat(back.body()).contains("did not sign you in (access_denied)");
      assertThat(tokenCalls()).isZero();
    }
  }

  @Nested
  class Sessions {
    @Test
    void the_cookie_is_http_only_same_site_lax_and_not_secure_over_http() throws Exception {
      site(false, Duration.ofHours(12));

      String cookie = new Browser().get("/who").headers().firstValue("Set-Cookie").orElseThrow();

      assertThat(cookie)
          .startsWith("site=")
          .containsIgnoringCase("HttpOnly")
          .containsIgnoringCase("SameSite=Lax")
          .contains("Path=/")
          .doesNotContainIgnoringCase("Secure");
    }

    @Test
    void the_cookie_is_secure_when_browsers_reach_the_site_over_https() throws Exception {
      site(true, Duration.ofHours(12));

      String cookie = new Browser().get("/who").headers().firstValue("Set-Cookie").orElseThrow();

      assertThat(cookie).containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly");
    }

    @Test
    void a_session_past_its_absolute_limit_starts_over_under_a_new_id() throws Exception {
      site(false, Duration.ZERO);
      Browser browser = new Browser();
      String token = browser.get("/csrf").body();
      String id = browser.sessionId();

      String next = browser.get("/csrf").body();

      assertThat(next).isNotEqualTo(token);
      assertThat(browser.sessionId()).isNotEqualTo(id);
    }

    @Test
    void a_session_within_its_limits_keeps_its_id_and_data() throws Exception {
      site(false, Duration.ofHours(12));
      Browser browser = new Browser();
      String token = browser.get("/csrf").body();

      assertThat(browser.get("/csrf").body()).isEqualTo(token);
    }
  }

  @Nested
  class Pages {
    @BeforeEach
    void open() throws Exception {
      site(false, Duration.ofHours(12));
    }

    @Test
    void carry_a_policy_that_refuses_framing_and_the_other_security_headers() throws Exception {
      HttpResponse<String> page = new Browser().get("/who");

      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'")
          .contains("frame-ancestors 'none'")
          .contains("base-uri 'none'");
      assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void refuse_a_form_without_the_sessions_csrf_token() throws Exception {
      Browser browser = new Browser();
      String own = browser.get("/csrf").body();
      String foreign = new Browser().get("/csrf").body();

      assertThat(browser.post("/form", "x=1").statusCode()).isEqualTo(403);
      assertThat(browser.post("/form", "_csrf=" + foreign).statusCode()).isEqualTo(403);
      assertThat(browser.post("/form", "_csrf=" + own).statusCode()).isEqualTo(200);
    }
  }

  static HttpCookie plant(String id) {
    HttpCookie cookie = new HttpCookie("site", id);
    cookie.setPath("/");
    cookie.setVersion(0);
    return cookie;
  }
}
