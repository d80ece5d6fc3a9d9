package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.key;
import static dev.turnpike.gateway.http.Fixtures.plan;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.testkit.browser.Chromium;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CORS as a real browser enforces it: a page served on one origin ({@code http://localhost:P})
 * calls the gateway on another ({@code http://127.0.0.1:G}) with {@code fetch()}. Chromium makes
 * the preflight and decides from the gateway's headers whether the page may read the answer, so
 * what is asserted here is the browser's verdict, not the headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserCorsTest {
  static final String KEY = "browser-key-0123456789";
  static final String FETCH =
      """
      async (a) => {
        try {
          const r = await fetch(a.url, {method: a.method, headers: a.headers, credentials: a.credentials});
          return {ok: true, status: r.status, exposed: r.headers.get('x-mock'),
                  hidden: r.headers.get('x-hidden'), body: await r.text()};
        } catch (e) {
          return {ok: false, error: String(e)};
        }
      }
      """;

  GatewayRig gateway;
  HttpServer pages;
  Chromium chromium;
  BrowserContext context;
  Page page;
  String pageOrigin;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    pages =
        GatewayRig.await(
            gateway
                .vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .response()
                            .putHeader("content-type", "text/html")
                            .end("<!doctype html><title>app</title><p>app</p>"))
                .listen(0, "127.0.0.1"));
    pageOrigin = "http://localhost:" + pages.actualPort();
    IntegrationConfig pets =
        new IntegrationConfig(
            IntegrationType.MOCK,
            null,
            null,
            0,
            0,
            null,
            new MockResponse(
                200, Map.of("x-mock", "visible", "x-hidden", "secret"), "{\"pets\":[]}"));
    List<RouteConfig> routes =
        List.of(route("GET", "/pets", false, pets), route("PUT", "/pets", true, pets));
    gateway.load(
        List.of(
            stage(
                "creds",
                routes,
                new CorsConfiguration(
                    List.of(pageOrigin),
                    List.of("GET", "PUT"),
                    List.of("content-type", "x-api-key"),
                    List.of("x-mock"),
                    60,
                    true)),
            stage(
                "open",
                routes,
                new CorsConfiguration(
                    List.of("*"), List.of("*"), List.of("*"), List.of("x-mock"), null, false)),
            stage(
                "nokeyheader",
                routes,
                new CorsConfiguration(
                    List.of(pageOrigin), List.of("GET", "PUT"), List.of(), List.of(), null, false)),
            stage(
                "elsewhere",
                routes,
                new CorsConfiguration(
                    List.of("https://other.example"),
                    List.of("GET"),
                    List.of(),
                    List.of(),
                    null,
                    false)),
            Fixtures.deployment("none", routes)),
        List.of(key(KEY, "key-1", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold"))),
        List.of(plan("gold", null, null, "creds", "open", "nokeyheader", "elsewhere", "none")));
    chromium = Chromium.launch();
    context = chromium.newContext(Chromium.DESKTOP);
    page = context.newPage();
    page.navigate(pageOrigin + "/");
  }

  static DeploymentSnapshot stage(String name, List<RouteConfig> routes, CorsConfiguration cors) {
    return Fixtures.deployment(name, routes).toBuilder()
        .edge(new EdgeConfig(cors, null, null))
        .build();
  }

  @AfterAll
  void stop() {
    if (context != null) {
      context.close();
    }
    if (chromium != null) {
      chromium.close();
    }
    GatewayRig.await(pages.close());
    gateway.close();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> fetch(String stage, String method, boolean key, String credentials) {
    Map<String, Object> args =
        Map.of(
            "url",
            "http://127.0.0.1:" + gateway.port() + "/acme/pets/" + stage + "/pets",
            "method",
            method,
            "headers",
            key ? Map.of("x-api-key", KEY, "content-type", "application/json") : Map.of(),
            "credentials",
            credentials);
    return (Map<String, Object>) page.evaluate(FETCH, args);
  }

  @Test
  void a_simple_call_from_an_allowed_origin_is_readable_with_only_exposed_headers() {
    Map<String, Object> answer = fetch("creds", "GET", false, "omit");
    assertThat(answer).containsEntry("ok", true).containsEntry("status", 200);
    assertThat(answer).containsEntry("body", "{\"pets\":[]}");
    assertThat(answer).containsEntry("exposed", "visible");
    assertThat(answer.get("hidden")).isNull();
  }

  @Test
  void a_preflighted_call_with_a_key_header_passes_the_preflight_without_a_key() {
    Map<String, Object> answer = fetch("creds", "PUT", true, "omit");
    assertThat(answer).as(answer.toString()).containsEntry("ok", true).containsEntry("status", 200);
  }

  @Test
  void credentials_are_accepted_only_where_the_api_allows_them_for_the_exact_origin() {
    assertThat(fetch("creds", "GET", false, "include")).containsEntry("ok", true);
    assertThat(fetch("creds", "PUT", true, "include")).containsEntry("ok", true);
    // "*" allows any page without credentials, and the browser refuses it with them.
    assertThat(fetch("open", "GET", false, "omit")).containsEntry("ok", true);
    assertThat(fetch("open", "PUT", true, "omit")).containsEntry("ok", true);
    assertThat(fetch("open", "GET", false, "include")).containsEntry("ok", false);
    // An exact origin without allowCredentials: no Access-Control-Allow-Credentials, refused.
    assertThat(fetch("nokeyheader", "GET", false, "include")).containsEntry("ok", false);
  }

  @Test
  void the_browser_blocks_what_the_api_does_not_allow() {
    assertThat(fetch("nokeyheader", "GET", false, "omit")).containsEntry("ok", true);
    // The preflight does not list x-api-key: the browser never sends the PUT.
    assertThat(fetch("nokeyheader", "PUT", true, "omit")).containsEntry("ok", false);
    assertThat(fetch("elsewhere", "GET", false, "omit")).containsEntry("ok", false);
    assertThat(fetch("none", "GET", false, "omit")).containsEntry("ok", false);
    assertThat(fetch("none", "PUT", true, "omit")).containsEntry("ok", false);
  }
}
