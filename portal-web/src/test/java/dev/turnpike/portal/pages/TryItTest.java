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
    PublishedApi published = PublishedApi.create(cp.client(), cp.token("try-it-owner"));
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
      Matcher csrf = CSRF.matcher(page());
      assertThat(csrf.find()).as("the page carries a CSRF token").isTrue();
      String form =
          "_csrf="
              + encode(csrf.group(1))
              + "&method=GET&stage=prod&key=&body=&path="
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
