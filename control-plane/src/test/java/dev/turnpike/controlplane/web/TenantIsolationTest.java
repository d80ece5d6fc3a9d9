package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Walks every tenant-scoped endpoint the router has with tenant B's token against tenant A's
 * resources: each answers 404, and A's resources are unchanged afterwards.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
  static final Pattern PARAM = Pattern.compile("\\{(\\w+)}");

  TestControlPlane cp;
  ApiClient api;
  String tokenA;
  String tokenB;
  String tenantB;
  final Map<String, String> idsOfA = new HashMap<>();

  @BeforeAll
  void two_tenants_with_everything(TestDatabase db) {
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_SECRET_KEY", dev.turnpike.contracts.domain.SealedSecrets.newBase64Key()));
    api = cp.client();
    tokenA = cp.token("alice-a");
    tokenB = cp.token("bob-b");
    Fixture a = new Fixture(api, tokenA);
    String tenant = a.tenant();
    String apiId = a.api(tenant);
    String integration = a.integration(tenant, apiId);
    String route = a.route(tenant, apiId, integration, "GET", "/pets");
    String stage = a.stage(tenant, apiId, "prod");
    String deployment = a.deploy(tenant, apiId, stage).getString("id");
    String plan = a.plan(tenant, apiId, "prod");
    String app = a.app(tenant);
    String subscription = a.subscribe(tenant, app, plan);
    String key = a.key(tenant, app).getString("id");
    idsOfA.putAll(
        Map.of(
            "tenantId", tenant,
            "apiId", apiId,
            "integrationId", integration,
            "routeId", route,
            "stageId", stage,
            "deploymentId", deployment,
            "planId", plan,
            "appId", app,
            "subscriptionId", subscription,
            "keyId", key));
    idsOfA.put("userId", api.get(tokenA, "/v1/me").json().getString("id"));
    ApiClient.Answer function =
        api.put(
            tokenA,
            "/v1/tenants/" + tenant + "/functions/orders",
            new io.vertx.core.json.JsonObject().put("invokeUrl", "http://orders.example.com:9000"));
    assertThat(function.status()).as(function.toString()).isEqualTo(200);
    idsOfA.put("name", "orders");
    // The authorizer shares the function's name: {name} in either path finds A's own.
    ApiClient.Answer authorizer =
        api.put(
            tokenA,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/authorizers/orders",
            new io.vertx.core.json.JsonObject()
                .put("type", "jwt")
                .put(
                    "jwt",
                    new io.vertx.core.json.JsonObject()
                        .put("issuer", "https://id.example.com/realms/orders")
                        .put("audience", new io.vertx.core.json.JsonArray().add("orders-api"))));
    assertThat(authorizer.status()).as(authorizer.toString()).isEqualTo(200);
    // So does the upstream.
    ApiClient.Answer upstream =
        api.put(
            tokenA,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/upstreams/orders",
            new io.vertx.core.json.JsonObject()
                .put(
                    "targets",
                    new io.vertx.core.json.JsonArray()
                        .add(
                            new io.vertx.core.json.JsonObject()
                                .put("url", "https://orders.example.com")
                                .put("weight", 1))));
    assertThat(upstream.status()).as(upstream.toString()).isEqualTo(200);
    // And an alarm, so its GETs find A's own.
    ApiClient.Answer alarm =
        api.post(
            tokenA,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/alarms",
            new io.vertx.core.json.JsonObject()
                .put("name", "orders-5xx")
                .put("stage", "prod")
                .put("metric", "errors_5xx")
                .put("comparison", "gt")
                .put("threshold", 0)
                .put("windowMinutes", 5)
                .put("webhookUrl", "https://hooks.example.com/alarms"));
    assertThat(alarm.status()).as(alarm.toString()).isEqualTo(201);
    idsOfA.put("alarmId", alarm.json().getString("id"));
    // And a WebSocket definition, so its GET finds A's own.
    ApiClient.Answer webSocket =
        api.put(
            tokenA,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/websocket",
            new io.vertx.core.json.JsonObject()
                .put("routeSelectionExpression", "$request.body.action")
                .put(
                    "routes",
                    new io.vertx.core.json.JsonArray()
                        .add(
                            new io.vertx.core.json.JsonObject()
                                .put("routeKey", "$default")
                                .put(
                                    "integration",
                                    new io.vertx.core.json.JsonObject()
                                        .put("type", "mock")
                                        .put(
                                            "mock",
                                            new io.vertx.core.json.JsonObject()
                                                .put("statusCode", 200)
                                                .put("body", "ok"))))));
    assertThat(webSocket.status()).as(webSocket.toString()).isEqualTo(200);
    ApiClient.Answer domain =
        api.post(
            tokenA,
            "/v1/tenants/" + tenant + "/domains",
            new io.vertx.core.json.JsonObject().put("domainName", "isolated.example.com"));
    assertThat(domain.status()).as(domain.toString()).isEqualTo(201);
    idsOfA.put("domainName", "isolated.example.com");
    ApiClient.Answer mapping =
        api.post(
            tokenA,
            "/v1/tenants/" + tenant + "/domains/isolated.example.com/mappings",
            new io.vertx.core.json.JsonObject()
                .put("basePath", "v1")
                .put("apiId", apiId)
                .put("stage", "prod"));
    assertThat(mapping.status()).as(mapping.toString()).isEqualTo(201);
    idsOfA.put("basePath", "v1");
    var ca = dev.turnpike.testkit.tls.BackendCertificates.ca("Client CA");
    var client = dev.turnpike.testkit.tls.BackendCertificates.client(ca, "a-client");
    ApiClient.Answer certificate =
        api.put(
            tokenA,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stage + "/client-certificate",
            new io.vertx.core.json.JsonObject()
                .put("certificatePem", client.certificatePem())
                .put("privateKeyPem", client.privateKeyPem()));
    assertThat(certificate.status()).as(certificate.toString()).isEqualTo(200);
    tenantB = new Fixture(api, tokenB).tenant();
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  List<String> tenantScopedEndpoints() {
    List<String> endpoints =
        cp.controlPlane().endpoints().stream().filter(e -> e.contains("{tenantId}")).toList();
    assertThat(endpoints).hasSizeGreaterThan(40);
    return endpoints;
  }

  static String fill(String path, Map<String, String> ids) {
    Matcher m = PARAM.matcher(path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, ids.get(m.group(1)));
    }
    return m.appendTail(out).toString();
  }

  ApiClient.Answer call(String token, String endpoint, Map<String, String> ids) {
    String method = endpoint.substring(0, endpoint.indexOf(' '));
    String path = fill(endpoint.substring(endpoint.indexOf(' ') + 1), ids);
    boolean body = method.equals("POST") || method.equals("PUT");
    return api.send(method, token, path, body ? "{}" : null, "application/json");
  }

  @Nested
  class AnotherTenantsIds {
    @Test
    void every_endpoint_answers_404_to_tenant_b_under_tenant_a() {
      for (String endpoint : tenantScopedEndpoints()) {
        ApiClient.Answer answer = call(tokenB, endpoint, idsOfA);
        assertThat(answer.status()).as(endpoint + " -> " + answer).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
      }
    }

    @Test
    void every_endpoint_answers_404_to_tenant_b_under_its_own_tenant() {
      Map<String, String> ids = new HashMap<>(idsOfA);
      ids.put("tenantId", tenantB);
      for (String endpoint : tenantScopedEndpoints()) {
        if (endpoint.matches(
            "(GET|POST) /v1/tenants/\\{tenantId}(/(apis|usage-plans|apps|members|audit|functions|domains))?")) {
          continue; // collections and the tenant itself: B's own, not A's
        }
        if (endpoint.matches(
            "(GET|PUT) /v1/tenants/\\{tenantId}/(portal/branding|developers|developer-caps)")) {
          continue; // the portal's settings and developers: B's own, not A's
        }
        if (endpoint.equals("PUT /v1/tenants/{tenantId}/functions/{name}")) {
          continue; // a function is named by its tenant: the PUT registers B's own "orders"
        }
        if (endpoint.equals("PUT /v1/tenants/{tenantId}/members/{userId}")) {
          continue; // users are not tenant-owned: B's owner may add any signed-in user to B
        }
        ApiClient.Answer answer = call(tokenB, endpoint, ids);
        assertThat(answer.status()).as(endpoint + " -> " + answer).isEqualTo(404);
      }
    }

    @Test
    void tenant_a_still_has_everything_afterwards() {
      for (String endpoint : tenantScopedEndpoints()) {
        if (endpoint.startsWith("GET ")) {
          ApiClient.Answer answer = call(tokenA, endpoint, idsOfA);
          assertThat(answer.status()).as(endpoint + " -> " + answer).isEqualTo(200);
        }
      }
      assertThat(api.get(tokenB, "/v1/tenants").items()).hasSize(1);
    }
  }
}
