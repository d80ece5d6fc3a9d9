package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.turnpike.controlplane.testing.OwnerBrowser;
import dev.turnpike.metering.invoice.PeriodClose;
import dev.turnpike.metering.invoice.impl.JooqInvoiceStore;
import dev.turnpike.metering.rating.BillingPeriod;
import dev.turnpike.portal.testing.DeveloperBrowser;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.stripe.FakeStripeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The product from both sides on the platform as {@code ./turnpike up} starts it (separate
 * processes, embedded PostgreSQL, Kafka and Keycloak; Stripe is the project's fake Stripe server):
 * an owner signs up in the console, imports an OpenAPI document, deploys it and sells it with a
 * priced plan; a developer signs up in the portal, pays for the plan through checkout and creates a
 * key; a client is served, throttled and stopped by the quota; the portal shows metering's count;
 * the month's invoice bills exactly the served calls; a revoked key is refused.
 */
@Tag("platform")
class WholeJourneyTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path SHOTS = Path.of("target", "screenshots", "journey");
  static final Duration PROPAGATION = Duration.ofSeconds(60);
  static final String WEBHOOK_SECRET = "whsec_journey";

  /** The owner's plan: 5 requests a second (burst 5), 25 a day, one cent a request. */
  static final OwnerBrowser.Plan METERED =
      new OwnerBrowser.Plan("Metered", 5, 5, 25, "DAY", "per_request", "0.01", "Weather / prod");

  final HttpClient http = HttpClient.newHttpClient();
  final AtomicInteger served = new AtomicInteger();
  final AtomicInteger attempted = new AtomicInteger();

  @Test
  void an_owner_sells_an_api_a_developer_buys_it_uses_it_is_billed_and_loses_access()
      throws Exception {
    // Under target/, not a temporary folder: the services' logs outlive a failure.
    Path state = freshFolder(Path.of("target", "whole-journey").toAbsolutePath());
    Map<String, String> env = new HashMap<>(LaunchedPlatform.freePorts());
    env.put("TURNPIKE_PLATFORM_DIR", state.resolve("platform").toString());
    env.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    // Keycloak takes a loopback redirect on any port only for 127.0.0.1, not for localhost.
    env.put("TURNPIKE_CP_CONSOLE_PUBLIC_URL", "http://127.0.0.1:" + env.get("TURNPIKE_CP_PORT"));
    env.put("TURNPIKE_PORTAL_PUBLIC_URL", "http://127.0.0.1:" + env.get("TURNPIKE_PORTAL_PORT"));
    String gateway = "http://127.0.0.1:" + env.get("TURNPIKE_GATEWAY_PORT");
    Path document = state.resolve("weather.yaml");
    Files.writeString(document, weatherApi(env.get("TURNPIKE_DEMO_BACKEND_PORT")));

    try (FakeStripeServer stripe = FakeStripeServer.start()) {
      env.put("TURNPIKE_STRIPE_API_KEY", "sk_test_journey");
      env.put("TURNPIKE_STRIPE_API_BASE", stripe.apiBase());
      env.put("TURNPIKE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
      stripe.deliverWebhooksTo(
          URI.create("http://127.0.0.1:" + env.get("TURNPIKE_BILLING_PORT") + "/stripe/webhook"),
          WEBHOOK_SECRET);
      try (LaunchedPlatform platform =
              LaunchedPlatform.start(ROOT, env, state.resolve("platform.out"));
          Chromium chromium = Chromium.launch()) {
        assertThat(platform.output()).contains("Developer portal", "Owner console");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String tenantSlug = "weather-" + suffix;

        // The owner: console sign-up, OpenAPI import, deployment, a priced plan.
        try (OwnerBrowser owner =
            new OwnerBrowser(chromium, "http://127.0.0.1:" + env.get("TURNPIKE_CP_PORT"), SHOTS)) {
          owner.openWelcome();
          owner.signUp("owner-" + suffix, "journey-owner-" + suffix);
          owner.createOrganization("Weather Co", tenantSlug);
          owner.createApi("Weather", "weather");
          owner.importOpenApi(document);
          owner.deployToNewStage("prod", "first release");
          owner.createPlan(METERED);
          owner.shoot("owner-plans");
        }
        String forecast = gateway + "/" + tenantSlug + "/weather/prod/forecast";

        // The developer: portal sign-up, an app, a key, the paid plan through checkout.
        String portalUrl = env.get("TURNPIKE_PORTAL_PUBLIC_URL") + "/portal/" + tenantSlug;
        try (DeveloperBrowser dev = new DeveloperBrowser(chromium, portalUrl, SHOTS)) {
          Page page = dev.page();
          dev.signUpAndRegister("Forecast Readers Ltd");
          dev.createApp("Forecast reader");
          String appPage = page.url();
          String key = dev.createKey("production");
          String prefix = page.locator("tr[data-prefix]").first().getAttribute("data-prefix");
          dev.subscribe(METERED.name());
          page.waitForURL("**/checkout");
          assertThat(call(forecast, key).statusCode()).isEqualTo(403);
          dev.payAtCheckout();

          // The client: served once the payment's webhook has activated the subscription.
          Await.until(
              PROPAGATION,
              () -> call(forecast, key).statusCode() == 200,
              "the paid subscription opens the gateway to the key");
          int throttled = throttledInABurst(forecast, key, 30);
          assertThat(throttled)
              .as("calls over 5 a second refused with Too Many Requests")
              .isPositive();
          String limit = callUntilTheQuotaIsReached(forecast, key);
          assertThat(limit).contains("Limit Exceeded");
          int billable = served.get();
          assertThat(billable).isGreaterThanOrEqualTo((int) METERED.quota());

          // Metering's count, as the portal shows it: served calls against the daily quota, and
          // every call the key made (refused ones too) in the calls column.
          String used = billable + " of " + METERED.quota();
          Await.until(
              PROPAGATION,
              () -> {
                page.navigate(appPage);
                return page.locator("table.quotas td.used").first().textContent().equals(used);
              },
              () ->
                  "the portal to show "
                      + used
                      + " counted by metering; it shows: "
                      + page.locator("table.quotas").textContent().replaceAll("\\s+", " "));
          assertThat(Integer.parseInt(page.locator("table.quotas td.calls").first().textContent()))
              .isBetween(billable, attempted.get());
          dev.shoot("journey-usage");

          // The month closes: the same close metering runs two hours after the month ends,
          // run now on the platform's database so the test need not wait for the month's end.
          closeTheCurrentMonth(env);
          dev.open("/invoices");
          String expected = String.format("%d.%02d USD", billable / 100, billable % 100);
          assertThat(page.locator("main table").textContent()).contains(expected);
          dev.shoot("journey-invoice");
          System.out.printf(
              "whole journey: %d calls, %d served, %d of a burst of 30 throttled, invoice %s%n",
              attempted.get(), billable, throttled, expected);

          page.navigate(appPage);
          dev.revokeKey(prefix);
          Await.until(
              PROPAGATION,
              () -> call(forecast, key).statusCode() == 403,
              "the revoked key is refused by the gateway");
        }
      }
    }
  }

  static Path freshFolder(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (Stream<Path> paths = Files.walk(folder)) {
        // Deepest first; links are removed as links, never followed.
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    return Files.createDirectories(folder);
  }

  /** A one-route API in API Gateway's export format, backed by the platform's demo backend. */
  static String weatherApi(String demoBackendPort) {
    return """
        openapi: "3.0.1"
        info:
          title: "Weather"
          version: "1.0"
        paths:
          /forecast:
            get:
              responses:
                "200":
                  description: "the demo backend's greeting"
              security:
              - api_key: []
              x-amazon-apigateway-integration:
                type: "http_proxy"
                httpMethod: "GET"
                uri: "http://127.0.0.1:%s/hello"
        components:
          securitySchemes:
            api_key:
              type: "apiKey"
              name: "x-api-key"
              in: "header"
        """
        .formatted(demoBackendPort);
  }

  HttpResponse<String> call(String url, String key) {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("x-api-key", key)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      attempted.incrementAndGet();
      if (answer.statusCode() == 200) {
        served.incrementAndGet();
      }
      return answer;
    } catch (Exception e) {
      throw new AssertionError("calling " + url + ": " + e, e);
    }
  }

  /** Sends {@code count} calls at once; returns how many the throttle refused. */
  int throttledInABurst(String url, String key, int count) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("x-api-key", key)
            .timeout(Duration.ofSeconds(10))
            .build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    int throttled = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> answer = call.join();
      attempted.incrementAndGet();
      if (answer.statusCode() == 429) {
        assertThat(answer.body()).contains("Too Many Requests");
        throttled++;
      } else {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        served.incrementAndGet();
      }
    }
    return throttled;
  }

  /**
   * Calls at about 4 a second, under the throttle, until the quota answers; returns that answer's
   * body. Bounded: the quota is 25 a day, so 200 calls without it is a failure.
   */
  String callUntilTheQuotaIsReached(String url, String key) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> answer = call(url, key);
      if (answer.statusCode() == 429 && answer.body().contains("Limit Exceeded")) {
        return answer.body();
      }
      assertThat(answer.statusCode()).as(answer.body()).isIn(200, 429);
      // Pacing under the plan's rate, not waiting for a result: the loop ends on the answer.
      Thread.sleep(250);
    }
    throw new AssertionError("200 calls and the quota of " + METERED.quota() + " never answered");
  }

  static void closeTheCurrentMonth(Map<String, String> env) {
    PlatformSettings settings = PlatformSettings.fromEnvironment(env, ROOT);
    PlatformSettings.DatabaseLogins logins = settings.database().logins();
    try (CloseableDSLContext metering =
        DSL.using(
            settings.database().jdbcUrl(), logins.meteringUser(), logins.meteringPassword())) {
      PeriodClose.Result result =
          new PeriodClose(new JooqInvoiceStore(metering))
              .close(BillingPeriod.containing(Instant.now()));
      assertThat(result.invoiced()).isPositive();
    }
  }
}
