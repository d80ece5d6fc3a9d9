package dev.turnpike.infra.e2e.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.turnpike.controlplane.console.ConsoleEnvironment;
import dev.turnpike.controlplane.console.ConsoleSettings;
import dev.turnpike.controlplane.testing.OwnerBrowser;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.infra.e2e.InProcessServices;
import dev.turnpike.metering.node.MeteringService;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket API from the console to a browser, on the platform's real parts (Keycloak, the
 * control plane with its console and outbox relay, Kafka, PostgreSQL, a gateway node): an owner
 * defines the routes in Chromium and deploys them, the stage page gives the address, and a page in
 * Chromium connects to it as a WebSocket client, is answered by the route its message's action
 * names and by {@code $default} otherwise.
 *
 * <p>A browser cannot set headers on a WebSocket handshake, and the gateway reads a key only from
 * {@code x-api-key} (or from an authorizer's answer), so this API's {@code $connect} requires no
 * key; keyed handshakes are the Vert.x-client tests' (data-plane's {@code GatewayWebSocketTest}).
 * Screenshots land in {@code target/screenshots/websocket/}.
 */
@Tag("keycloak")
@Tag("browser")
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class, KeycloakExtension.class})
class WebSocketConsoleJourneyTest {
  static final Path SHOTS = Path.of("target", "screenshots", "websocket");
  static final Duration PROPAGATION = Duration.ofSeconds(30);

  /** Opens a WebSocket, sends each message and waits for an answer to each; answers them all. */
  static final String CONVERSATION =
      """
      async ([url, messages]) => {
        const ws = new WebSocket(url);
        let pending = null;
        ws.onmessage = (event) => { if (pending) { pending.resolve(event.data); pending = null; } };
        ws.onclose = (event) => { if (pending) { pending.reject(new Error('closed ' + event.code)); } };
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = () => reject(new Error('the handshake was refused'));
        });
        const answers = [];
        for (const message of messages) {
          const answer = new Promise((resolve, reject) => {
            pending = { resolve, reject };
            setTimeout(() => reject(new Error('no answer to ' + message)), 10000);
          });
          ws.send(message);
          answers.push(await answer);
        }
        ws.close(1000);
        return answers;
      }
      """;

  @Test
  @SuppressWarnings("try") // metering runs for the walk; the test reads what it wrote
  void an_owner_defines_and_deploys_a_websocket_api_in_the_console_and_a_browser_talks_to_it(
      TestDatabase db, KafkaBroker kafka, KeycloakServer keycloak, @TempDir Path gatewayData) {
    GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData);
    String gatewayUrl = "http://127.0.0.1:" + gateway.port();
    try (gateway;
        TestControlPlane cp =
            ConsoleEnvironment.start(
                db,
                keycloak,
                kafka.bootstrapServers(),
                Map.of(ConsoleSettings.GATEWAY_URL, gatewayUrl));
        MeteringService metering = InProcessServices.metering(db, kafka, "websocket-e2e");
        Chromium chromium = Chromium.launch();
        OwnerBrowser owner = new OwnerBrowser(chromium, ConsoleEnvironment.base(cp), SHOTS)) {
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      String slug = "chat-" + suffix;
      Page page = owner.page();
      owner.openWelcome();
      owner.signUp("owner-" + suffix, "websocket-" + suffix);
      owner.createOrganization("Chat Co", slug);
      owner.createApi("Chat", "chat");

      // The routes, row by row: $connect admits anyone (see the class comment), sendMessage
      // and $default answer with mocks.
      page.getByText("WebSocket…").click();
      assertThat(page.locator("h1")).hasText("WebSocket routes of Chat");
      assertThat(page.locator("#ws-selection")).hasValue("$request.body.action");
      page.locator("[name='r.0.routeKey']").fill("$connect");
      page.locator("[name='r.1.routeKey']").fill("sendMessage");
      page.locator("[name='r.1.type']").selectOption("mock");
      page.locator("[name='r.1.mockBody']").fill("{\"delivered\": true}");
      page.locator("[name='r.1.twoWay']").check();
      page.locator("[name='r.2.routeKey']").fill("$default");
      page.locator("[name='r.2.type']").selectOption("mock");
      page.locator("[name='r.2.mockBody']").fill("Say {\"action\": \"sendMessage\"}");
      page.locator("[name='r.2.twoWay']").check();
      owner.shoot("01-websocket-routes");
      page.locator("#ws-definition button[type=submit]").click();
      assertThat(page.locator(".flash")).containsText("Chat is a WebSocket API now.");
      assertThat(page.locator("legend", new Page.LocatorOptions().setHasText("Route sendMessage")))
          .hasCount(1);
      assertThat(page.locator("#ws-json")).containsText("\"routeKey\" : \"$default\"");

      // Deployed to a new stage from the API page, as any API.
      page.locator(".crumbs a", new Page.LocatorOptions().setHasText("Chat")).click();
      assertThat(page.locator("#api-protocol")).hasText("WebSocket API");
      page.locator("#stage-name").fill("prod");
      page.getByText("Create stage", new Page.GetByTextOptions().setExact(true)).click();
      page.locator("#deploy-description").fill("first release");
      page.locator("form[action$='/deployments'] button").click();
      assertThat(page.locator("#stages table").first()).containsText("(first release)");
      page.getByLabel("Settings of stage prod").click();
      String url = page.locator("#stage-websocket-url").textContent();
      assertThat(url).isEqualTo("ws://127.0.0.1:" + gateway.port() + "/" + slug + "/chat/prod");
      assertThat(page.locator("#stage-connections-url"))
          .hasText(gatewayUrl + "/" + slug + "/chat/prod/@connections/{connectionId}");
      owner.shoot("02-stage-addresses");

      // A page of its own (the console's pages allow no script and no connection) as the client.
      try (BrowserContext context = chromium.newContext(Chromium.DESKTOP)) {
        Page client = context.newPage();
        Await.until(
            PROPAGATION,
            () -> handshakeSucceeds(client, url),
            "the deployment reaches the gateway and the browser's handshake is accepted");

        @SuppressWarnings("unchecked")
        List<Object> answers =
            (List<Object>)
                client.evaluate(
                    CONVERSATION,
                    List.of(
                        url,
                        List.of(
                            "{\"action\": \"sendMessage\", \"text\": \"hello\"}",
                            "hello without an action")));

        assertThat(answers)
            .containsExactly("{\"delivered\": true}", "Say {\"action\": \"sendMessage\"}");
      }

      // Metered: the two messages and the connection's time reach metering's aggregates (the
      // conversation's connection is closed, so its DISCONNECT carries how long it was open).
      Await.until(
          PROPAGATION,
          () -> websocketUsage(db, slug)[0] >= 2 && websocketUsage(db, slug)[1] > 0,
          () ->
              "messages and connection time in usage_aggregates, have "
                  + java.util.Arrays.toString(websocketUsage(db, slug)));
    }
  }

  /** The tenant's metered WebSocket messages and connection milliseconds, by day. */
  static long[] websocketUsage(TestDatabase db, String tenantSlug) {
    var row =
        db.systemDsl()
            .fetchOne(
                "SELECT coalesce(sum(messages), 0), coalesce(sum(connection_millis), 0)"
                    + " FROM usage_aggregates WHERE granularity = 'day'"
                    + " AND tenant_id = (SELECT id FROM tenants WHERE slug = ?)",
                tenantSlug);
    return new long[] {((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()};
  }

  /** Whether a WebSocket from the page opens (the stage is served) rather than being refused. */
  static boolean handshakeSucceeds(Page client, String url) {
    try {
      return "open"
          .equals(
              client.evaluate(
                  """
                  (url) => new Promise((resolve) => {
                    const ws = new WebSocket(url);
                    ws.onopen = () => { ws.close(1000); resolve('open'); };
                    ws.onerror = () => resolve('refused');
                  })
                  """,
                  url));
    } catch (PlaywrightException e) {
      return false;
    }
  }
}
