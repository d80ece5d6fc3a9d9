package dev.turnpike.controlplane.websocket;

import static dev.turnpike.db.Tables.WEBSOCKET_APIS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ApiProtocol;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19's management API on a real database: an API's WebSocket definition stated by PUT (the
 * import), answered by GET (the export), checked with the contract's rules and the egress policy,
 * and frozen into deployments.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketApisTest {
  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    api = cp.client();
    owner = db.ownerDsl();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  static String websocket(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/websocket";
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
                            "throttle",
                            new JsonObject().put("rateLimit", 50).put("burstLimit", 100))
                        .put(
                            "integration",
                            new JsonObject()
                                .put("type", "mock")
                                .put(
                                    "mock",
                                    new JsonObject().put("statusCode", 200).put("body", "ok"))))
                .add(
                    new JsonObject()
                        .put("routeKey", "$default")
                        .put(
                            "integration",
                            new JsonObject()
                                .put("type", "http_proxy")
                                .put("uri", "https://chat.example.com/ws")
                                .put("timeoutMillis", 5000))));
  }

  @Test
  void a_definition_is_stated_exported_imported_elsewhere_and_deleted() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer put = api.put(token, websocket(tenant, apiId), chat());
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().getString("protocol")).isEqualTo(ApiProtocol.WEBSOCKET.name());
    assertThat(put.json().getJsonArray("routes")).hasSize(3);
    assertThat(owner.fetchCount(WEBSOCKET_APIS, WEBSOCKET_APIS.API_ID.eq(UUID.fromString(apiId))))
        .isEqualTo(1);

    // The export, imported into another API (here another tenant's), states the same routes.
    JsonObject exported = api.get(token, websocket(tenant, apiId)).json();
    String otherTenant = fx.tenant();
    String otherApi = fx.api(otherTenant);
    ApiClient.Answer imported = api.put(token, websocket(otherTenant, otherApi), exported);
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    assertThat(imported.json().getJsonArray("routes")).isEqualTo(exported.getJsonArray("routes"));
    assertThat(imported.json().getString("routeSelectionExpression"))
        .isEqualTo("$request.body.action");

    assertThat(api.delete(token, websocket(tenant, apiId)).status()).isEqualTo(204);
    assertThat(api.get(token, websocket(tenant, apiId)).status()).isEqualTo(404);
  }

  @Test
  void a_definition_a_gateway_could_not_serve_is_a_400_naming_each_problem() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject bad =
        new JsonObject()
            .put("routeSelectionExpression", "$request.header.action")
            .put(
                "routes",
                new JsonArray()
                    .add(new JsonObject().put("routeKey", "send"))
                    .add(new JsonObject().put("routeKey", "send"))
                    .add(new JsonObject().put("routeKey", "$other"))
                    .add(new JsonObject().put("routeKey", "keyed").put("apiKeyRequired", true))
                    .add(
                        new JsonObject()
                            .put("routeKey", "templated")
                            .put(
                                "integration",
                                new JsonObject()
                                    .put("type", "http")
                                    .put("uri", "https://${stageVariables.host}/ws")))
                    .add(
                        new JsonObject()
                            .put("routeKey", "$disconnect")
                            .put(
                                "throttle",
                                new JsonObject().put("rateLimit", 1).put("burstLimit", 1))));

    ApiClient.Answer refused = api.put(token, websocket(tenant, apiId), bad);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.body())
        .contains("/routeSelectionExpression")
        .contains("/routes/1")
        .contains("/routes/2")
        .contains("/routes/3")
        .contains("/routes/4/integration/uri")
        .contains("/routes/5/throttle");
    assertThat(api.get(token, websocket(tenant, apiId)).status()).isEqualTo(404);
  }

  @Test
  void an_http_target_the_egress_policy_refuses_is_a_400() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject metadata = chat();
    metadata
        .getJsonArray("routes")
        .getJsonObject(2)
        .getJsonObject("integration")
        .put("uri", "http://169.254.169.254/latest");

    ApiClient.Answer refused = api.put(token, websocket(tenant, apiId), metadata);

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.body()).contains("/routes/2/integration/uri");
  }

  @Test
  void another_tenants_owner_neither_reads_nor_changes_the_definition() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    api.put(token, websocket(tenant, apiId), chat());
    String stranger = cp.token("stranger-" + UUID.randomUUID());

    assertThat(api.get(stranger, websocket(tenant, apiId)).status()).isIn(403, 404);
    assertThat(api.put(stranger, websocket(tenant, apiId), chat()).status()).isIn(403, 404);
    assertThat(api.delete(stranger, websocket(tenant, apiId)).status()).isIn(403, 404);
    assertThat(api.get(token, websocket(tenant, apiId)).status()).isEqualTo(200);
  }

  @Test
  void a_websocket_api_deploys_without_http_routes_and_its_routes_are_frozen() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    api.put(token, websocket(tenant, apiId), chat());
    String stage = fx.stage(tenant, apiId, "prod");

    JsonObject deployment = fx.deploy(tenant, apiId, stage);

    FrozenApi frozen = Json.read(deployment.getJsonObject("definition").encode(), FrozenApi.class);
    assertThat(frozen.webSocket()).isNotNull();
    assertThat(frozen.webSocket().routeSelectionExpression()).isEqualTo("$request.body.action");
    assertThat(frozen.webSocket().route("sendMessage").twoWay()).isTrue();
    assertThat(frozen.webSocket().route("sendMessage").throttle())
        .isEqualTo(new ThrottleLimit(50, 100));
    assertThat(frozen.webSocket().route("$connect").apiKeyRequired()).isTrue();
  }

  @Test
  void a_route_naming_an_unregistered_function_is_refused_at_deployment() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject definition = chat();
    definition
        .getJsonArray("routes")
        .add(
            new JsonObject()
                .put("routeKey", "$disconnect")
                .put(
                    "integration",
                    new JsonObject()
                        .put("type", "aws_proxy")
                        .put("function", new JsonObject().put("name", "nowhere"))));
    assertThat(api.put(token, websocket(tenant, apiId), definition).status()).isEqualTo(200);
    String stage = fx.stage(tenant, apiId, "prod");

    ApiClient.Answer refused =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments",
            new JsonObject().put("stageId", stage));

    assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    assertThat(refused.body()).contains("nowhere");
  }
}
