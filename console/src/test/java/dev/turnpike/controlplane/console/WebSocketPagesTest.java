package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console's WebSocket page of an API (on the console and organization shared by every {@link
 * ConsoleFeatureTest}): routes edited row by row and the export imported as JSON, both judged by
 * the use case of {@code PUT .../websocket}; making the API an HTTP API again after a confirmation;
 * the stage page's addresses; roles and tenants as on every page.
 */
class WebSocketPagesTest extends ConsoleFeatureTest {
  String websocket(String apiId) {
    return v1("/apis/" + apiId + "/websocket");
  }

  /** The definition as the management API exports it, or null for an HTTP API. */
  JsonObject stored(String apiId) {
    var answer = api().get(apiToken, websocket(apiId));
    return answer.status() == 200 ? answer.json() : null;
  }

  static String page(String tenantPath, String apiId) {
    return tenantPath + "apis/" + apiId + "/websocket";
  }

  /**
   * The route table as a browser sends it: every row's selects, filled in or not (a blank row's
   * selects send their first option).
   */
  static Map<String, String> form(String selection, List<Map<String, String>> rows) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("routeSelectionExpression", selection);
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("routeKey", "");
      row.put("type", "");
      row.put("uri", "");
      row.put("function", "");
      row.put("payloadFormatVersion", "1.0");
      row.put("mockStatus", "");
      row.put("mockBody", "");
      row.put("timeoutMillis", "");
      row.put("connectTimeoutMillis", "");
      row.put("authorizer", "");
      row.put("scopes", "");
      row.putAll(rows.get(i));
      for (var field : row.entrySet()) {
        form.put("r." + i + "." + field.getKey(), field.getValue());
      }
    }
    return form;
  }

  static final Map<String, String> BLANK = Map.of();

  static Map<String, String> chatForm() {
    return form(
        "$request.body.action",
        List.of(
            Map.of("routeKey", "$connect", "apiKeyRequired", "on"),
            Map.of(
                "routeKey", "sendMessage",
                "type", "mock",
                "mockStatus", "200",
                "mockBody", "sent",
                "twoWay", "on"),
            Map.of(
                "routeKey", "$default",
                "type", "http_proxy",
                "uri", "https://chat.example.com/ws",
                "timeoutMillis", "5000",
                "twoWay", "on"),
            BLANK,
            BLANK));
  }

  static JsonObject chat() {
    return new JsonObject()
        .put("routeSelectionExpression", "$request.body.action")
        .put(
            "routes",
            new JsonArray()
                .add(new JsonObject().put("routeKey", "$connect").put("apiKeyRequired", true))
                .add(
                    new JsonObject()
                        .put("routeKey", "sendMessage")
                        .put("twoWay", true)
                        .put(
                            "integration",
                            new JsonObject()
                                .put("type", "mock")
                                .put(
                                    "mock",
                                    new JsonObject().put("statusCode", 200).put("body", "ok")))));
  }

  @Test
  void an_owner_makes_an_api_a_websocket_api_and_adds_and_removes_routes_through_the_page() {
    String apiId = fixture.api(tenantId);
    String apiPath = tenantPath + "apis/" + apiId;
    assertThat(owner.page(apiPath).body())
        .contains("<span id=\"api-protocol\">HTTP API</span>")
        .contains("href=\"" + apiPath + "/websocket\"");
    assertThat(owner.page(page(tenantPath, apiId)).body())
        .contains("Pets is an HTTP API.")
        .contains("Make it a WebSocket API")
        .contains("value=\"$request.body.action\"");

    HttpResponse<String> saved = owner.post(page(tenantPath, apiId), chatForm());

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(owner.follow(saved).body())
        .contains("Pets is a WebSocket API now. Deploy it to serve them.")
        .contains("Route sendMessage")
        .contains("Save WebSocket routes");
    JsonObject definition = stored(apiId);
    assertThat(definition.getString("protocol")).isEqualTo("WEBSOCKET");
    assertThat(definition.getJsonArray("routes"))
        .containsExactly(
            new JsonObject().put("routeKey", "$connect").put("apiKeyRequired", true),
            new JsonObject()
                .put("routeKey", "sendMessage")
                .put("twoWay", true)
                .put(
                    "integration",
                    new JsonObject()
                        .put("type", "mock")
                        .put(
                            "mock",
                            new JsonObject()
                                .put("statusCode", 200)
                                .put("headers", new JsonObject())
                                .put("body", "sent"))),
            new JsonObject()
                .put("routeKey", "$default")
                .put("twoWay", true)
                .put(
                    "integration",
                    new JsonObject()
                        .put("type", "http_proxy")
                        .put("uri", "https://chat.example.com/ws")
                        .put("timeoutMillis", 5000)));
    assertThat(owner.page(apiPath).body())
        .contains("<span id=\"api-protocol\">WebSocket API</span>");

    // The page shows the routes as stored; removing one and filling a blank row in is one save.
    String shown = owner.page(page(tenantPath, apiId)).body();
    assertThat(shown)
        .contains("name=\"r.1.routeKey\" spellcheck=\"false\" value=\"sendMessage\"")
        .contains("value=\"https://chat.example.com/ws\"")
        .containsPattern("name=\"r.0.apiKeyRequired\" value=\"on\" checked");
    Map<String, String> edited = chatForm();
    edited.put("r.1.remove", "on");
    edited.put("r.3.routeKey", "ping");
    edited.put("r.3.type", "mock");
    edited.put("r.3.mockBody", "pong");
    edited.put("r.3.twoWay", "on");
    HttpResponse<String> again = owner.post(page(tenantPath, apiId), edited);

    assertThat(again.statusCode()).as(again.body()).isEqualTo(303);
    assertThat(owner.follow(again).body()).contains("The WebSocket routes of Pets are saved.");
    JsonArray routes = stored(apiId).getJsonArray("routes");
    assertThat(routes.stream().map(r -> ((JsonObject) r).getString("routeKey")))
        .containsExactly("$connect", "$default", "ping");
    assertThat(routes.getJsonObject(2).getJsonObject("integration").getJsonObject("mock"))
        .isEqualTo(
            new JsonObject()
                .put("statusCode", 200)
                .put("headers", new JsonObject())
                .put("body", "pong"));
    assertThat(owner.page(tenantPath + "audit").body()).contains("websocket.update");
  }

  @Test
  void a_function_route_and_an_authorizer_with_scopes_on_connect_are_stated_and_shown_again() {
    String apiId = fixture.api(tenantId);
    HttpResponse<String> authorizer =
        owner.post(
            tenantPath + "apis/" + apiId + "/authorizers",
            Map.of(
                "name", "keycloak",
                "type", "jwt",
                "issuer", "https://id.example.com/realms/acme",
                "audience", "chat"));
    assertThat(authorizer.statusCode()).isEqualTo(303);
    String authorizerId =
        api().get(apiToken, v1("/apis/" + apiId + "/authorizers/keycloak")).json().getString("id");
    Map<String, String> stated =
        form(
            "${request.body.message.kind}",
            List.of(
                Map.of(
                    "routeKey", "$connect",
                    "authorizer", authorizerId,
                    "scopes", "chat:read, chat:write"),
                Map.of(
                    "routeKey", "$disconnect",
                    "type", "aws_proxy",
                    "function", "on-disconnect",
                    "payloadFormatVersion", "2.0",
                    "timeoutMillis", "3000"),
                BLANK));

    HttpResponse<String> saved = owner.post(page(tenantPath, apiId), stated);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    JsonObject definition = stored(apiId);
    assertThat(definition.getString("routeSelectionExpression"))
        .isEqualTo("${request.body.message.kind}");
    assertThat(definition.getJsonArray("routes"))
        .containsExactly(
            new JsonObject()
                .put("routeKey", "$connect")
                .put(
                    "authorization",
                    new JsonObject()
                        .put("authorizerId", authorizerId)
                        .put("scopes", new JsonArray().add("chat:read").add("chat:write"))),
            new JsonObject()
                .put("routeKey", "$disconnect")
                .put(
                    "integration",
                    new JsonObject()
                        .put("type", "aws_proxy")
                        .put("timeoutMillis", 3000)
                        .put(
                            "function",
                            new JsonObject()
                                .put("name", "on-disconnect")
                                .put("payloadFormatVersion", "2.0"))));
    String shown = owner.page(page(tenantPath, apiId)).body();
    assertThat(shown)
        .containsPattern(
            "<option value=\"" + authorizerId + "\"\\s+selected=\"selected\">keycloak \\(jwt\\)")
        .contains("value=\"chat:read chat:write\"")
        // Not registered yet (a deployment would refuse it): still shown as the route's choice.
        .containsPattern("<option value=\"on-disconnect\"\\s+selected=\"selected\">")
        .containsPattern("<option value=\"2.0\"\\s+selected=\"selected\">");
  }

  @Test
  void a_routes_message_throttle_is_stated_shown_again_and_needs_both_numbers() {
    String apiId = fixture.api(tenantId);
    Map<String, String> form = chatForm();
    form.put("r.1.throttleRate", "10");
    form.put("r.1.throttleBurst", "20");

    HttpResponse<String> saved = owner.post(page(tenantPath, apiId), form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(stored(apiId).getJsonArray("routes").getJsonObject(1).getJsonObject("throttle"))
        .isEqualTo(new JsonObject().put("rateLimit", 10.0).put("burstLimit", 20));
    assertThat(owner.page(page(tenantPath, apiId)).body())
        .contains("name=\"r.1.throttleRate\" inputmode=\"decimal\" value=\"10\"")
        .contains("name=\"r.1.throttleBurst\" inputmode=\"numeric\" value=\"20\"");

    form.remove("r.1.throttleBurst");
    HttpResponse<String> refused = owner.post(page(tenantPath, apiId), form);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("needs both a rate (messages per second) and a burst");
    assertThat(stored(apiId).getJsonArray("routes").getJsonObject(1).getJsonObject("throttle"))
        .as("nothing changed")
        .isEqualTo(new JsonObject().put("rateLimit", 10.0).put("burstLimit", 20));
  }

  @Test
  void a_refused_definition_is_explained_beside_its_rows_and_changes_nothing() {
    String apiId = fixture.api(tenantId);
    assertThat(api().put(apiToken, websocket(apiId), chat()).status()).isEqualTo(200);
    JsonObject before = stored(apiId);
    Map<String, String> bad =
        form(
            "$request.header.action",
            List.of(
                Map.of("routeKey", "send", "type", "mock"),
                // Ticked "remove": left out, so the rows after it are the use case's 1, 2 and 3.
                Map.of("routeKey", "$other", "remove", "on"),
                Map.of("routeKey", "send", "type", "mock"),
                Map.of("routeKey", "keyed", "apiKeyRequired", "on"),
                Map.of(
                    "routeKey", "templated",
                    "type", "http",
                    "uri", "https://${stageVariables.host}/ws"),
                BLANK));

    HttpResponse<String> refused = owner.post(page(tenantPath, apiId), bad);

    assertThat(refused.statusCode()).isEqualTo(400);
    String body = refused.body();
    assertThat(body)
        .contains(
            "must be $request.body.&lt;field&gt;[.&lt;field&gt;...], was $request.header.action")
        // The form keeps what was sent, the removed row included.
        .contains("value=\"$request.header.action\"")
        .contains("value=\"$other\"");
    assertThat(between(body, "r.2.routeKey", "r.3.routeKey"))
        .contains("<p class=\"error\">send is defined twice</p>");
    assertThat(between(body, "r.3.routeKey", "r.4.routeKey"))
        .contains(
            "<p class=\"error\">keys and authorizers apply on $connect only, as in API Gateway");
    assertThat(between(body, "r.4.routeKey", "r.5.routeKey"))
        .contains("<p class=\"error\">must be a literal http(s) URL</p>");
    assertThat(between(body, "r.0.routeKey", "r.2.routeKey")).doesNotContain("class=\"error\"");
    assertThat(stored(apiId)).isEqualTo(before);

    // The egress policy refuses a metadata address as the API does, beside its row.
    Map<String, String> metadata = chatForm();
    metadata.put("r.2.uri", "http://169.254.169.254/latest");
    HttpResponse<String> egress = owner.post(page(tenantPath, apiId), metadata);
    assertThat(egress.statusCode()).isEqualTo(400);
    assertThat(between(egress.body(), "r.2.routeKey", "r.3.routeKey"))
        .contains("<p class=\"error\">must not point at");
    assertThat(stored(apiId)).isEqualTo(before);

    // A number that does not parse is the console's own message, beside its field.
    Map<String, String> slow = chatForm();
    slow.put("r.2.timeoutMillis", "soon");
    HttpResponse<String> unparsed = owner.post(page(tenantPath, apiId), slow);
    assertThat(unparsed.statusCode()).isEqualTo(400);
    assertThat(between(unparsed.body(), "r.2.timeoutMillis", "r.2.connectTimeoutMillis"))
        .contains("<p class=\"error\">must be a whole number</p>");
    assertThat(stored(apiId)).isEqualTo(before);
  }

  /** The part of a page between the first mentions of two field names. */
  static String between(String html, String from, String to) {
    int start = html.indexOf("name=\"" + from + "\"");
    int end = html.indexOf("name=\"" + to + "\"");
    assertThat(start).as(from + " on the page").isNotNegative();
    assertThat(end).as(to + " after " + from).isGreaterThan(start);
    return html.substring(start, end);
  }

  @Test
  void the_export_is_shown_for_copying_and_an_import_replaces_the_definition_or_says_why_not() {
    String apiId = fixture.api(tenantId);
    assertThat(api().put(apiToken, websocket(apiId), chat()).status()).isEqualTo(200);
    String importPath = page(tenantPath, apiId) + "/import";

    String shown = owner.page(page(tenantPath, apiId)).body();
    assertThat(shown)
        .contains("&quot;routeSelectionExpression&quot; : &quot;$request.body.action&quot;")
        .contains("&quot;protocol&quot; : &quot;WEBSOCKET&quot;")
        .contains("&quot;routeKey&quot; : &quot;sendMessage&quot;");

    // Another API takes the export as it is (id, protocol and times ignored), as PUT does.
    String otherId = fixture.api(tenantId);
    JsonObject export = stored(apiId);
    HttpResponse<String> imported =
        owner.post(page(tenantPath, otherId) + "/import", Map.of("json", export.encodePrettily()));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(303);
    assertThat(owner.follow(imported).body()).contains("Pets is a WebSocket API now.");
    assertThat(stored(otherId).getJsonArray("routes")).isEqualTo(export.getJsonArray("routes"));

    JsonObject before = stored(apiId);
    HttpResponse<String> broken = owner.post(importPath, Map.of("json", "{routes: []}"));
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body())
        .contains("The body is not valid JSON (line 1, column 2)")
        .contains(">{routes: []}</textarea>");

    JsonObject unknown = chat();
    unknown.getJsonArray("routes").getJsonObject(1).put("colour", "blue");
    HttpResponse<String> strict = owner.post(importPath, Map.of("json", unknown.encode()));
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(strict.body())
        .containsPattern("<code>/routes/1/colour</code>\\s*<span>is not a known field</span>");

    JsonObject twice = chat();
    twice.getJsonArray("routes").getJsonObject(1).put("routeKey", "$connect");
    HttpResponse<String> duplicate = owner.post(importPath, Map.of("json", twice.encode()));
    assertThat(duplicate.statusCode()).isEqualTo(400);
    assertThat(duplicate.body())
        .containsPattern(
            "<code>/routes/1/routeKey</code>\\s*<span>\\$connect is defined twice</span>");

    HttpResponse<String> empty = owner.post(importPath, Map.of("json", "  "));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("A JSON object body is required");
    assertThat(stored(apiId)).isEqualTo(before);
  }

  @Test
  void making_the_api_an_http_api_again_asks_first_and_deletes_the_definition() {
    String apiId = fixture.api(tenantId);
    String apiPath = tenantPath + "apis/" + apiId;
    assertThat(owner.get(page(tenantPath, apiId) + "/delete").statusCode()).isEqualTo(404);
    assertThat(api().put(apiToken, websocket(apiId), chat()).status()).isEqualTo(200);
    String stageId = fixture.stage(tenantId, apiId, "prod");
    fixture.deploy(tenantId, apiId, stageId);
    assertThat(owner.page(page(tenantPath, apiId)).body())
        .contains("href=\"" + page(tenantPath, apiId) + "/delete\"");

    HttpResponse<String> confirm = owner.page(page(tenantPath, apiId) + "/delete");

    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body())
        .contains("Make Pets an HTTP API again?")
        .contains("2 routes ($connect, sendMessage)")
        .contains("Its next deployment serves its 0 HTTP routes; it needs at least one.")
        .contains("Stages prod keep serving WebSocket clients as deployed")
        .contains("Keep it");
    assertThat(stored(apiId)).isNotNull();

    HttpResponse<String> deleted = owner.submitForm(confirm, page(tenantPath, apiId) + "/delete");

    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(location(deleted)).isEqualTo(apiPath);
    assertThat(owner.follow(deleted).body())
        .contains("Pets is an HTTP API again.")
        .contains("<span id=\"api-protocol\">HTTP API</span>");
    assertThat(stored(apiId)).isNull();
    assertThat(owner.page(tenantPath + "audit").body()).contains("websocket.delete");
  }

  @Test
  void a_viewer_sees_the_definition_but_cannot_change_it() {
    String apiId = fixture.api(tenantId);
    assertThat(api().put(apiToken, websocket(apiId), chat()).status()).isEqualTo(200);
    JsonObject before = stored(apiId);
    String path = page(tenantPath, apiId);

    withViewer(
        (viewer, viewerId) -> {
          String shown = viewer.page(path).body();
          assertThat(shown)
              .contains("Route sendMessage")
              .contains("Your role here is viewer")
              .contains("<fieldset class=\"bare\" disabled=\"disabled\">")
              .doesNotContain("Save WebSocket routes")
              .doesNotContain("Make it an HTTP API again");
          assertThat(viewer.page(path + "/delete").body())
              .contains("only owners and admins delete");
          assertThat(viewer.post(path, chatForm()).statusCode()).isEqualTo(403);
          assertThat(viewer.post(path + "/import", Map.of("json", chat().encode())).statusCode())
              .isEqualTo(403);
          assertThat(viewer.post(path + "/delete", Map.of()).statusCode()).isEqualTo(403);
        });
    assertThat(stored(apiId)).isEqualTo(before);
  }

  /**
   * An API id this organization does not have (another organization's among them) is not found
   * under its pages. A second organization is not made here: every console test shares the demo
   * owner, whose first sign-in leads to the dashboard only while it has one organization
   * (ConsoleSigningInTest); the management API's walk of every path across tenants is
   * control-plane's TenantIsolationTest.
   */
  @Test
  void an_api_this_organization_does_not_have_is_not_found_and_forms_need_the_sessions_token() {
    String underOurs = page(tenantPath, UUID.randomUUID().toString());

    assertThat(owner.get(underOurs).statusCode()).isEqualTo(404);
    assertThat(owner.post(underOurs, chatForm()).statusCode()).isEqualTo(404);
    assertThat(owner.post(underOurs + "/import", Map.of("json", chat().encode())).statusCode())
        .isEqualTo(404);

    String apiId = fixture.api(tenantId);
    assertThat(owner.postRaw(page(tenantPath, apiId), chatForm()).statusCode()).isEqualTo(403);
    assertThat(stored(apiId)).isNull();
  }

  @Test
  void a_websocket_apis_stage_page_shows_its_websocket_and_connections_addresses() {
    String apiId = fixture.api(tenantId);
    String slug = api().get(apiToken, v1("/apis/" + apiId)).json().getString("slug");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    String stagePage = tenantPath + "apis/" + apiId + "/stages/" + stageId;
    assertThat(owner.page(stagePage).body()).doesNotContain("stage-websocket-url");

    assertThat(api().put(apiToken, websocket(apiId), chat()).status()).isEqualTo(200);

    // This console has no TURNPIKE_CP_CONSOLE_GATEWAY_URL: the host is a placeholder it explains.
    String path = "/acme-console/" + slug + "/prod";
    assertThat(owner.page(stagePage).body())
        .contains("<code id=\"stage-websocket-url\">wss://&lt;gateway&gt;" + path + "</code>")
        .contains(
            "<code id=\"stage-connections-url\">https://&lt;gateway&gt;"
                + path
                + "/@connections/{connectionId}</code>")
        .contains("TURNPIKE_CP_CONSOLE_GATEWAY_URL");
    assertThat(owner.page(page(tenantPath, apiId)).body())
        .contains("wss://&lt;gateway&gt;" + path)
        .contains("(not deployed)");
  }
}
