package dev.turnpike.controlplane.function;

import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.migrations.TenantTransactions;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14's control plane: the function registry, aws_proxy integrations by hand and by import,
 * deployments that resolve them (or refuse), and export, on a real database.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionsTest {
  static final String ORDERS_URL = "http://orders.example.com:9000";
  static final String REST_ARN =
      "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
          + "arn:aws:lambda:eu-west-1:123456789012:function:%s/invocations";

  TestControlPlane cp;
  TestControlPlane limited;
  ApiClient api;
  DSLContext owner;
  DSLContext app;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    limited =
        TestControlPlane.start(db, null, Map.of("TURNPIKE_CP_LIMIT_FUNCTIONS_PER_TENANT", "2"));
    api = cp.client();
    owner = db.ownerDsl();
    app = db.appDsl();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    limited.close();
    cp.close();
  }

  static String functions(String tenant) {
    return "/v1/tenants/" + tenant + "/functions";
  }

  ApiClient.Answer register(String tenant, String name, String url, Integer timeout) {
    JsonObject body = new JsonObject().put("invokeUrl", url);
    if (timeout != null) {
      body.put("timeoutMillis", timeout);
    }
    return api.put(token, functions(tenant) + "/" + name, body);
  }

  void registered(String tenant, String name, String url, Integer timeout) {
    ApiClient.Answer answer = register(tenant, name, url, timeout);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
  }

  int auditCount(String tenant, String action) {
    return owner.fetchCount(
        AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant)), AUDIT_LOG.ACTION.eq(action));
  }

  static List<String> pointers(ApiClient.Answer answer) {
    return answer.json().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer"))
        .toList();
  }

  String integration(String tenant, String apiId, JsonObject body) {
    return fx.created("/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations", body)
        .getString("id");
  }

  static JsonObject function(String reference) {
    return new JsonObject().put("type", "aws_proxy").put("function", reference);
  }

  /** Method and path to route config, from a deployment's answer. */
  static Map<String, RouteConfig> routes(JsonObject deployment) {
    FrozenApi definition =
        Json.read(deployment.getJsonObject("definition").encode(), FrozenApi.class);
    return definition.routes().stream()
        .collect(Collectors.toMap(r -> r.method() + " " + r.resourcePath(), r -> r));
  }

  ApiClient.Answer deploy(String tenant, String apiId, String stageId) {
    return api.post(
        token,
        "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments",
        new JsonObject().put("stageId", stageId));
  }

  String stage(String tenant, String apiId, String name, JsonObject variables) {
    return fx.created(
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages",
            new JsonObject().put("name", name).put("variables", variables))
        .getString("id");
  }

  @Nested
  class Registry {
    @Test
    void registers_replaces_reads_lists_and_deletes_a_function_with_an_audit_trail() {
      String tenant = fx.tenant();
      ApiClient.Answer created = register(tenant, "orders", ORDERS_URL + "/", 5000);
      assertThat(created.status()).as(created.toString()).isEqualTo(200);
      assertThat(created.json().getString("name")).isEqualTo("orders");
      assertThat(created.json().getString("invokeUrl")).isEqualTo(ORDERS_URL);
      assertThat(created.json().getInteger("timeoutMillis")).isEqualTo(5000);

      ApiClient.Answer replaced = register(tenant, "orders", "https://orders2.example.com", null);
      assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
      assertThat(replaced.json().getString("invokeUrl")).isEqualTo("https://orders2.example.com");
      assertThat(replaced.json().getInteger("timeoutMillis")).isEqualTo(29_000);
      assertThat(replaced.json().getString("createdAt"))
          .isEqualTo(created.json().getString("createdAt"));
      registered(tenant, "orders:live", ORDERS_URL, null);

      ApiClient.Answer one = api.get(token, functions(tenant) + "/orders");
      assertThat(one.status()).isEqualTo(200);
      assertThat(one.json().getString("invokeUrl")).isEqualTo("https://orders2.example.com");
      assertThat(api.get(token, functions(tenant)).items().stream())
          .map(f -> ((JsonObject) f).getString("name"))
          .containsExactly("orders", "orders:live");

      assertThat(api.delete(token, functions(tenant) + "/orders").status()).isEqualTo(204);
      assertThat(api.get(token, functions(tenant) + "/orders").status()).isEqualTo(404);
      assertThat(api.delete(token, functions(tenant) + "/orders").status()).isEqualTo(404);
      assertThat(auditCount(tenant, "function.create")).isEqualTo(2);
      assertThat(auditCount(tenant, "function.update")).isEqualTo(1);
      assertThat(auditCount(tenant, "function.delete")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "bad%20name",
          "orders:$LATEST",
          "orders:live:blue",
          "a-name-of-sixty-five-characters-is-one-longer-than-lambda-allows1",
          "orders:"
        })
    void refuses_a_name_lambda_would_refuse(String name) {
      String tenant = fx.tenant();
      ApiClient.Answer answer = register(tenant, name, ORDERS_URL, null);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("/name");
      assertThat(api.get(token, functions(tenant)).items()).isEmpty();
    }

    @Test
    void refuses_bad_urls_and_timeouts_and_changes_nothing() {
      String tenant = fx.tenant();
      assertThat(pointers(register(tenant, "orders", "ftp://orders.example.com", null)))
          .containsExactly("/invokeUrl");
      assertThat(pointers(register(tenant, "orders", "http://orders.example.com/?a=1", null)))
          .containsExactly("/invokeUrl");
      assertThat(pointers(register(tenant, "orders", "orders.example.com", null)))
          .containsExactly("/invokeUrl");
      assertThat(pointers(register(tenant, "orders", ORDERS_URL, 30_000)))
          .containsExactly("/timeoutMillis");
      assertThat(pointers(register(tenant, "orders", ORDERS_URL, 49)))
          .containsExactly("/timeoutMillis");
      ApiClient.Answer missing = api.put(token, functions(tenant) + "/orders", new JsonObject());
      assertThat(missing.status()).isEqualTo(400);
      assertThat(pointers(missing)).containsExactly("/invokeUrl");
      ApiClient.Answer unknown =
          api.put(
              token,
              functions(tenant) + "/orders",
              new JsonObject().put("invokeUrl", ORDERS_URL).put("memorySize", 128));
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(api.get(token, functions(tenant)).items()).isEmpty();
      assertThat(auditCount(tenant, "function.create")).isZero();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://127.0.0.1:9001",
          "http://localhost:8080",
          "http://169.254.169.254",
          "http://10.0.0.5:8080",
          "http://[::1]:9000"
        })
    void refuses_an_invoke_url_the_egress_policy_forbids(String url) {
      String tenant = fx.tenant();
      ApiClient.Answer answer = register(tenant, "orders", url, null);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("/invokeUrl");
      assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("message"))
          .contains("egress policy");
      assertThat(api.get(token, functions(tenant) + "/orders").status()).isEqualTo(404);
    }

    @Test
    void another_tenant_neither_sees_nor_changes_it_and_the_database_agrees() {
      String tenantA = fx.tenant();
      registered(tenantA, "orders", ORDERS_URL, null);
      String tokenB = cp.token("other-" + UUID.randomUUID());
      String tenantB = new Fixture(api, tokenB).tenant();

      assertThat(api.get(tokenB, functions(tenantA) + "/orders").status()).isEqualTo(404);
      assertThat(api.get(tokenB, functions(tenantA)).status()).isEqualTo(404);
      assertThat(api.delete(tokenB, functions(tenantA) + "/orders").status()).isEqualTo(404);
      ApiClient.Answer put =
          api.put(
              tokenB,
              functions(tenantA) + "/orders",
              new JsonObject().put("invokeUrl", "http://evil.example.com"));
      assertThat(put.status()).isEqualTo(404);
      assertThat(api.get(tokenB, functions(tenantB)).items()).isEmpty();
      assertThat(api.get(token, functions(tenantA) + "/orders").json().getString("invokeUrl"))
          .isEqualTo(ORDERS_URL);

      // Row-level security: in tenant B's scope the application role reads none of A's rows,
      // even without a tenant predicate, and cannot write a row for A.
      UUID b = UUID.fromString(tenantB);
      UUID a = UUID.fromString(tenantA);
      int visible = TenantTransactions.inTenant(app, b, c -> DSL.using(c).fetchCount(FUNCTIONS));
      assertThat(visible).isZero();
      boolean refused;
      try {
        TenantTransactions.inTenant(
            app,
            b,
            c ->
                DSL.using(c)
                    .insertInto(FUNCTIONS)
                    .set(FUNCTIONS.TENANT_ID, a)
                    .set(FUNCTIONS.NAME, "planted")
                    .set(FUNCTIONS.INVOKE_URL, "http://evil.example.com")
                    .execute());
        refused = false;
      } catch (RuntimeException e) {
        refused = true;
      }
      assertThat(refused).isTrue();
      assertThat(owner.fetchCount(FUNCTIONS, FUNCTIONS.TENANT_ID.eq(a))).isEqualTo(1);
    }

    @Test
    void refuses_a_function_past_the_tenant_limit_but_still_replaces_one() {
      ApiClient client = limited.client();
      String ownerToken = limited.token("limited-" + UUID.randomUUID());
      String tenant = new Fixture(client, ownerToken).tenant();
      JsonObject body = new JsonObject().put("invokeUrl", ORDERS_URL);
      assertThat(client.put(ownerToken, functions(tenant) + "/one", body).status()).isEqualTo(200);
      assertThat(client.put(ownerToken, functions(tenant) + "/two", body).status()).isEqualTo(200);

      ApiClient.Answer third = client.put(ownerToken, functions(tenant) + "/three", body);
      assertThat(third.status()).as(third.toString()).isEqualTo(400);
      assertThat(third.json().getString("type"))
          .isEqualTo("https://turnpike.dev/problems/limit-exceeded");
      assertThat(third.json().getString("detail"))
          .contains("TURNPIKE_CP_LIMIT_FUNCTIONS_PER_TENANT")
          .contains("2 functions per tenant");
      assertThat(client.put(ownerToken, functions(tenant) + "/two", body).status()).isEqualTo(200);
      assertThat(client.get(ownerToken, functions(tenant)).items()).hasSize(2);
    }
  }

  @Nested
  class Integrations_by_hand {
    @Test
    void an_aws_proxy_integration_names_its_function() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      JsonObject created =
          fx.created(
              "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
              function("orders:live").put("payloadFormatVersion", "2.0").put("timeoutMillis", 900));
      assertThat(created.getString("type")).isEqualTo("aws_proxy");
      assertThat(created.getString("function")).isEqualTo("orders:live");
      assertThat(created.getString("payloadFormatVersion")).isEqualTo("2.0");
      assertThat(created.getString("httpMethod")).isEqualTo("POST");
      assertThat(created.getInteger("timeoutMillis")).isEqualTo(900);

      JsonObject byArn =
          fx.created(
              "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
              new JsonObject()
                  .put("type", "aws_proxy")
                  .put("uri", REST_ARN.formatted("billing:${stageVariables.alias}")));
      assertThat(byArn.getString("function")).isEqualTo("billing:${stageVariables.alias}");
      assertThat(byArn.getString("payloadFormatVersion")).isEqualTo("1.0");
    }

    @Test
    void refuses_what_is_not_a_function_integration() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
      assertThat(pointers(api.post(token, path, function("bad name"))))
          .containsExactly("/function");
      assertThat(pointers(api.post(token, path, new JsonObject().put("type", "aws_proxy"))))
          .containsExactly("/function");
      assertThat(
              pointers(
                  api.post(token, path, function("orders").put("payloadFormatVersion", "3.0"))))
          .containsExactly("/payloadFormatVersion");
      assertThat(pointers(api.post(token, path, function("orders").put("httpMethod", "GET"))))
          .containsExactly("/httpMethod");
      assertThat(
              pointers(
                  api.post(
                      token,
                      path,
                      function("orders").put("uri", "https://orders.example.com/invoke"))))
          .containsExactly("/uri");
      assertThat(
              pointers(
                  api.post(
                      token,
                      path,
                      new JsonObject()
                          .put("type", "http_proxy")
                          .put("httpMethod", "ANY")
                          .put("uri", "https://x.example.com")
                          .put("function", "orders"))))
          .containsExactly("/function");
      assertThat(api.get(token, path).items()).isEmpty();
    }
  }

  @Nested
  class Deployments {
    @Test
    void refuses_with_422_naming_each_unregistered_function_and_changes_nothing() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      registered(tenant, "catalog", ORDERS_URL, null);
      fx.route(tenant, apiId, integration(tenant, apiId, function("orders")), "GET", "/orders");
      fx.route(tenant, apiId, integration(tenant, apiId, function("orders")), "POST", "/orders");
      fx.route(
          tenant, apiId, integration(tenant, apiId, function("billing:live")), "GET", "/billing");
      fx.route(tenant, apiId, integration(tenant, apiId, function("catalog")), "GET", "/catalog");
      fx.route(
          tenant,
          apiId,
          integration(tenant, apiId, function("${stageVariables.missing}")),
          "GET",
          "/other");
      String stageId = stage(tenant, apiId, "prod", new JsonObject());

      ApiClient.Answer answer = deploy(tenant, apiId, stageId);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
      assertThat(answer.contentType()).isEqualTo("application/problem+json");
      assertThat(answer.json().getString("type"))
          .isEqualTo("https://turnpike.dev/problems/functions-not-registered");
      assertThat(answer.json().getString("detail"))
          .contains("billing:live")
          .contains("orders")
          .contains("${stageVariables.missing}")
          .doesNotContain("catalog")
          .contains("nothing was changed");
      JsonArray errors = answer.json().getJsonArray("errors");
      assertThat(pointers(answer))
          .containsExactly(
              "/functions/billing:live",
              "/functions/orders",
              "/functions/${stageVariables.missing}");
      assertThat(errors.getJsonObject(1).getString("message"))
          .isEqualTo("is not registered; used by GET /orders, POST /orders");
      assertThat(errors.getJsonObject(2).getString("message"))
          .contains("stage variable missing")
          .contains("prod");
      String deployments = "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments";
      assertThat(api.get(token, deployments).items()).isEmpty();
      JsonObject stage =
          api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId).json();
      assertThat(stage.getString("deploymentId")).isNull();
    }

    @Test
    void puts_the_resolved_target_into_the_deployment_record() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      registered(tenant, "orders", ORDERS_URL, 5000);
      registered(tenant, "orders:blue", "http://blue.example.com:9000", null);
      fx.route(
          tenant,
          apiId,
          integration(
              tenant,
              apiId,
              function("orders").put("payloadFormatVersion", "2.0").put("timeoutMillis", 8000)),
          "GET",
          "/orders");
      fx.route(
          tenant,
          apiId,
          integration(tenant, apiId, function("orders:${stageVariables.color}")),
          "GET",
          "/colored");
      fx.route(
          tenant,
          apiId,
          integration(tenant, apiId, function("orders:live").put("timeoutMillis", 1000)),
          "GET",
          "/live");
      String stageId = stage(tenant, apiId, "prod", new JsonObject().put("color", "blue"));

      ApiClient.Answer answer = deploy(tenant, apiId, stageId);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
      Map<String, RouteConfig> routes = routes(answer.json());
      assertThat(routes.get("GET /orders").integration().type())
          .isEqualTo(IntegrationType.AWS_PROXY);
      assertThat(routes.get("GET /orders").integration().function())
          .isEqualTo(new FunctionTarget("orders", ORDERS_URL, 5000, "2.0"));
      assertThat(routes.get("GET /colored").integration().function())
          .isEqualTo(
              new FunctionTarget("orders:blue", "http://blue.example.com:9000", 29_000, "1.0"));
      // An alias without a registration of its own is served by the function's.
      assertThat(routes.get("GET /live").integration().function())
          .isEqualTo(new FunctionTarget("orders", ORDERS_URL, 1000, "1.0"));
      // What the outbox carries to the gateways is the same record.
      String deploymentId = answer.json().getString("id");
      JsonObject stored =
          api.get(
                  token,
                  "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments/" + deploymentId)
              .json();
      assertThat(routes(stored)).isEqualTo(routes);
    }
  }

  @Nested
  class OpenApi {
    String openapi(String tenant, String apiId) {
      return "/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi";
    }

    JsonObject imported(String tenant, String apiId, String document, String type) {
      ApiClient.Answer answer = api.send("POST", token, openapi(tenant, apiId), document, type);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      return answer.json();
    }

    /** An export of API Gateway fronting Lambda: REST aws_proxy and the HTTP API's AWS_PROXY. */
    static final String LAMBDA_EXPORT =
        """
        openapi: 3.0.1
        info: {title: Orders, version: "2024-01-01T00:00:00Z"}
        servers:
          - url: https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}
            variables: {basePath: {default: prod}}
        paths:
          /orders:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders:live/invocations
                passthroughBehavior: when_no_match
                contentHandling: CONVERT_TO_TEXT
                responses: {default: {statusCode: "200"}}
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders:${stageVariables.alias}/invocations
                timeoutInMillis: 3000
          /billing:
            post:
              x-amazon-apigateway-integration:
                type: AWS_PROXY
                httpMethod: POST
                uri: arn:aws:lambda:eu-west-1:123456789012:function:billing
                payloadFormatVersion: "2.0"
                connectionType: INTERNET
          /health:
            get:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: "200"}}
        """;

    @Test
    void imports_an_aws_export_fronting_lambda_and_warns_of_unregistered_functions() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      registered(tenant, "orders", ORDERS_URL, null);

      JsonObject out = imported(tenant, apiId, LAMBDA_EXPORT, "application/yaml");

      Map<String, JsonObject> byFunction =
          out.getJsonArray("integrations").stream()
              .map(JsonObject.class::cast)
              .filter(i -> i.getString("type").equals("aws_proxy"))
              .collect(Collectors.toMap(i -> i.getString("function"), i -> i));
      assertThat(byFunction)
          .containsOnlyKeys("orders:live", "orders:${stageVariables.alias}", "billing");
      assertThat(byFunction.get("billing").getString("payloadFormatVersion")).isEqualTo("2.0");
      assertThat(byFunction.get("orders:live").getString("payloadFormatVersion")).isEqualTo("1.0");
      List<JsonObject> warnings =
          out.getJsonArray("warnings").stream().map(JsonObject.class::cast).toList();
      assertThat(warnings)
          .filteredOn(w -> w.getString("message").contains("not registered"))
          .extracting(w -> w.getString("pointer"))
          .containsExactly("/paths/~1billing/post/x-amazon-apigateway-integration/uri");

      String stageId = stage(tenant, apiId, "prod", new JsonObject().put("alias", "blue"));
      ApiClient.Answer refused = deploy(tenant, apiId, stageId);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(pointers(refused)).containsExactly("/functions/billing");

      registered(tenant, "billing", "http://billing.example.com:9000", 10_000);
      ApiClient.Answer deployed = deploy(tenant, apiId, stageId);
      assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
      Map<String, RouteConfig> routes = routes(deployed.json());
      assertThat(routes.get("GET /orders").integration().function())
          .isEqualTo(new FunctionTarget("orders", ORDERS_URL, 29_000, "1.0"));
      assertThat(routes.get("POST /orders").integration().function())
          .isEqualTo(new FunctionTarget("orders", ORDERS_URL, 3000, "1.0"));
      assertThat(routes.get("POST /billing").integration().function())
          .isEqualTo(
              new FunctionTarget("billing", "http://billing.example.com:9000", 10_000, "2.0"));
      assertThat(routes.get("GET /health").integration().function()).isNull();
    }

    @Test
    void exports_aws_proxy_as_api_gateway_does_and_imports_it_back_the_same() {
      String tenant = fx.tenant();
      String first = fx.api(tenant);
      registered(tenant, "orders", ORDERS_URL, null);
      registered(tenant, "billing", ORDERS_URL, null);
      imported(tenant, first, LAMBDA_EXPORT, "application/yaml");
      String byHand =
          integration(tenant, first, function("orders").put("payloadFormatVersion", "2.0"));
      fx.route(tenant, first, byHand, "GET", "/by-hand");

      ApiClient.Answer exported = api.get(token, openapi(tenant, first));
      assertThat(exported.status()).isEqualTo(200);
      JsonObject paths = exported.json().getJsonObject("paths");
      JsonObject get =
          paths
              .getJsonObject("/orders")
              .getJsonObject("get")
              .getJsonObject("x-amazon-apigateway-integration");
      assertThat(get.getString("type")).isEqualTo("aws_proxy");
      assertThat(get.getString("httpMethod")).isEqualTo("POST");
      assertThat(get.getString("uri")).isEqualTo(REST_ARN.formatted("orders:live"));
      assertThat(get.containsKey("payloadFormatVersion")).isFalse();
      JsonObject billing =
          paths
              .getJsonObject("/billing")
              .getJsonObject("post")
              .getJsonObject("x-amazon-apigateway-integration");
      assertThat(billing.getString("uri"))
          .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:billing");
      assertThat(billing.getString("payloadFormatVersion")).isEqualTo("2.0");
      JsonObject hand =
          paths
              .getJsonObject("/by-hand")
              .getJsonObject("get")
              .getJsonObject("x-amazon-apigateway-integration");
      assertThat(hand.getString("uri"))
          .startsWith("arn:aws:apigateway:")
          .endsWith(":function:orders/invocations");

      String second = fx.api(tenant);
      JsonObject again = imported(tenant, second, exported.body(), "application/json");
      assertThat(again.getJsonArray("warnings")).isEmpty();
      assertThat(functionsOf(tenant, second)).isEqualTo(functionsOf(tenant, first));
    }

    /** Each route's function and payload version, by method and path. */
    Map<String, String> functionsOf(String tenant, String apiId) {
      String base = "/v1/tenants/" + tenant + "/apis/" + apiId;
      Map<String, JsonObject> integrations =
          api.get(token, base + "/integrations").items().stream()
              .map(JsonObject.class::cast)
              .collect(Collectors.toMap(i -> i.getString("id"), i -> i));
      return api.get(token, base + "/routes").items().stream()
          .map(JsonObject.class::cast)
          .collect(
              Collectors.toMap(
                  r -> r.getString("method") + " " + r.getString("resourcePath"),
                  r -> {
                    JsonObject i = integrations.get(r.getString("integrationId"));
                    return i.getString("type")
                        + " "
                        + i.getString("function")
                        + " "
                        + i.getString("payloadFormatVersion")
                        + " "
                        + i.getInteger("timeoutMillis");
                  }));
    }
  }
}
