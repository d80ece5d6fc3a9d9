package dev.turnpike.portal.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.portal.Portal;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.portal.testing.PublishedApi;
import dev.turnpike.portal.testing.StandInGateway;
import dev.turnpike.portal.testing.StandInIssuer;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API page's try-it panel, driven through the portal's own form (session cookie, CSRF token)
 * against a stand-in gateway: it reads at most its cap of a response body and says it cut it, gives
 * up on a gateway that does not answer within its timeout, and makes no call past a session's rate.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TryItTest {
  static final int MAX_BODY = 1024;
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final int CALLS_PER_MINUTE = 3;
  static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  static final Pattern RESULT =
      Pattern.compile("<div class=\"result\" id=\"try-result\".*?</section>", Pattern.DOTALL);
  static final Pattern SHOWN_BODY =
      Pattern.compile("<pre><code>(.*?)</code></pre>", Pattern.DOTALL);

  TestControlPlane cp;
  StandInIssuer issuer;
  StandInGateway gateway;
  Portal portal;
  String apiPage;

  @BeforeAll
  void start(TestDatabase db) throws Exception {
    cp = TestControlPlane.start(db);
    String owner = cp.token("try-it-owner");
    PublishedApi published = PublishedApi.create(cp.client(), owner);
    behindJwtAuthorizer(published, owner);
    issuer = StandInIssuer.start();
    gateway = new StandInGateway();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_PORTAL_HOST", "127.0.0.1");
    env.put("TURNPIKE_PORTAL_PORT", "0");
    env.put("TURNPIKE_PORTAL_CONTROL_PLANE_URL", "http://127.0.0.1:" + cp.controlPlane().port());
    env.put("TURNPIKE_PORTAL_OIDC_ISSUER", issuer.issuer());
    env.put("TURNPIKE_PORTAL_CLIENT_SECRET", "not-used-here");
    env.put("TURNPIKE_PORTAL_GATEWAY_URL", gateway.url());
    env.put("TURNPIKE_PORTAL_TRY_IT_MAX_BODY_BYTES", Integer.toString(MAX_BODY));
    env.put("TURNPIKE_PORTAL_TRY_IT_TIMEOUT_MS", Long.toString(TIMEOUT.toMillis()));
    env.put("TURNPIKE_PORTAL_TRY_IT_CALLS_PER_MINUTE", Integer.toString(CALLS_PER_MINUTE));
    portal = Portal.start(PortalSettings.fromEnvironment(env));
    apiPage = portal.publicUrl() + "/portal/" + published.slug() + "/apis/weather";
    // Warms the page's path (templates, the control plane) so the tests time the calls only.
    new Visitor().page();
  }

  @AfterAll
  void stop() {
    for (AutoCloseable part : new AutoCloseable[] {portal, gateway, issuer, cp}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        // The next part still closes.
      }
    }
  }

  @Test
  void an_endless_body_is_read_up_to_the_cap_and_the_panel_says_it_was_cut() throws Exception {
    Tried tried = new Visitor().tryPath("/endless");
    String result = tried.html();
    Duration took = tried.took();

    assertThat(took).as("answered long before the timeout").isLessThan(TIMEOUT.minusSeconds(1));
    assertThat(result).contains("HTTP <span class=\"try-status\">200</span>");
    assertThat(shownBody(result)).isEqualTo("x".repeat(MAX_BODY));
    assertThat(result).contains("Only the first 1 KiB of the response body is shown");
    Await.until(
        Duration.ofSeconds(3), gateway::endlessClosed, "the portal closed the endless response");
  }

  @Test
  void a_gateway_that_never_answers_is_given_up_after_the_timeout() throws Exception {
    Tried tried = new Visitor().tryPath("/silent");
    String result = tried.html();
    Duration took = tried.took();

    assertThat(took).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(TIMEOUT.plusSeconds(2));
    assertThat(result).contains("The gateway did not answer within 3 s.");
    assertThat(result).doesNotContain("try-status");
  }

  @Test
  void past_the_sessions_rate_the_panel_says_so_and_makes_no_call() throws Exception {
    Visitor visitor = new Visitor();
    int before = gateway.requests();
    for (int i = 0; i < CALLS_PER_MINUTE; i++) {
      String result = visitor.tryPath("/forecast").html();
      assertThat(result).contains("HTTP <span class=\"try-status\">200</span>");
      assertThat(shownBody(result)).isEqualTo("{&quot;forecast&quot;:&quot;sunny&quot;}");
      assertThat(result).doesNotContain("response body is shown");
    }
    String refused = visitor.tryPath("/forecast").html();
    assertThat(refused).contains("at most 3 calls a minute").doesNotContain("try-status");
    assertThat(gateway.requests() - before).isEqualTo(CALLS_PER_MINUTE);

    // Another session has its own allowance.
    assertThat(new Visitor().tryPath("/forecast").html()).contains("try-status\">200");
  }

  static final String ISSUER = "https://id.example.com/realms/weather";

  /** A JWT-protected {@code GET /alerts} beside the fixture's key-protected forecast, on prod. */
  void behindJwtAuthorizer(PublishedApi published, String owner) {
    var api = cp.client();
    String base = "/v1/tenants/" + published.tenantId();
    String apiId =
        api.get(owner, base + "/apis").items().stream()
            .map(o -> (io.vertx.core.json.JsonObject) o)
            .filter(o -> o.getString("slug").equals("weather"))
            .findFirst()
            .orElseThrow()
            .getString("id");
    String apiBase = base + "/apis/" + apiId;
    var authorizer =
        api.put(
            owner,
            apiBase + "/authorizers/keycloak",
            new io.vertx.core.json.JsonObject()
                .put("type", "jwt")
                .put(
                    "jwt",
                    new io.vertx.core.json.JsonObject()
                        .put("issuer", ISSUER)
                        .put("audience", new io.vertx.core.json.JsonArray().add("weather-api"))));
    assertThat(authorizer.status()).as(authorizer.toString()).isEqualTo(200);
    String integration =
        api.get(owner, apiBase + "/integrations").items().getJsonObject(0).getString("id");
    var route =
        api.post(
            owner,
            apiBase + "/routes",
            new io.vertx.core.json.JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/alerts")
                .put("integrationId", integration)
                .put("authorizer", "keycloak")
                .put("authorizationScopes", new io.vertx.core.json.JsonArray().add("alerts:read")));
    assertThat(route.status()).as(route.toString()).isEqualTo(201);
    String stage = api.get(owner, apiBase + "/stages").items().getJsonObject(0).getString("id");
    var deployed =
        api.post(
            owner,
            apiBase + "/deployments",
            new io.vertx.core.json.JsonObject().put("stageId", stage));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
  }

  @Test
  void the_reference_says_how_each_operation_authenticates() throws Exception {
    String page = new Visitor().page();

    assertThat(page)
        .containsPattern(
            "(?s)/alerts</th>.*?Bearer token \\(JWT\\) from <code>"
                + Pattern.quote(ISSUER)
                + "</code>.*?<code>weather-api</code>.*?<code>alerts:read</code>")
        .containsPattern("(?s)/forecast</th>\\s*<td>Required</td>\\s*<td[^>]*>\\s*<span>None");
  }

  @Test
  void a_pasted_bearer_token_is_sent_as_the_authorization_header() throws Exception {
    Tried tried = new Visitor().tryWith("/forecast", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln");

    assertThat(tried.html()).contains("HTTP <span class=\"try-status\">200</span>");
    assertThat(gateway.lastHead())
        .containsIgnoringCase("authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln\r\n");
  }

  @Test
  void a_token_that_is_not_one_makes_no_call() throws Exception {
    int before = gateway.requests();

    Tried tried = new Visitor().tryWith("/forecast", "eyJ.e30\r\nX-Injected: 1");

    assertThat(tried.html()).contains("does not look like a bearer token");
    assertThat(gateway.requests()).isEqualTo(before);
  }

  static String shownBody(String result) {
    Matcher body = SHOWN_BODY.matcher(result);
    assertThat(body.find()).as("the panel shows a body").isTrue();
    return body.group(1);
  }

  /** The result panel's HTML, and how long the form's post took. */
  record Tried(String html, Duration took) {}

  /** One browser session: its cookie jar, and the panel's form sent as the page would. */
  final class Visitor {
    final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Sends the form for {@code path} on the prod stage. */
    Tried tryPath(String path) throws Exception {
      return tryWith(path, "");
    }

    /** Sends the form for {@code path} on the prod stage with a bearer token. */
    Tried tryWith(String path, String token) throws Exception {
      Matcher csrf = CSRF.matcher(page());
      assertThat(csrf.find()).as("the page carries a CSRF token").isTrue();
      String form =
          "_csrf="
              + encode(csrf.group(1))
              + "&method=GET&stage=prod&key=&body=&token="
              + encode(token)
              + "&path="
              + encode(path);
      long started = System.nanoTime();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(apiPage + "/try"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(answer.statusCode()).isEqualTo(200);
      Matcher result = RESULT.matcher(answer.body());
      assertThat(result.find()).as("the page shows a try-it result").isTrue();
      return new Tried(result.group(), took);
    }

    String page() throws Exception {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(apiPage)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      return page.body();
    }

    private String encode(String value) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
  }
}
