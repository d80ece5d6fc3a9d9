package dev.turnpike.controlplane.openapi;

import static dev.turnpike.db.Tables.APIS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Import and export of OpenAPI documents through the management API, on a real database. */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiImportTest {
  static final String AWS_EXPORT = "petstore-aws-export.yaml";
  static final String CATALOG_31 = "catalog-3.1.json";

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

  static String resource(String name) {
    try (InputStream in = OpenApiImportTest.class.getResourceAsStream("/openapi/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String openapi(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi";
  }

  ApiClient.Answer importDocument(
      String tenant, String apiId, String document, String contentType, String query) {
    return api.send("POST", token, openapi(tenant, apiId) + query, document, contentType);
  }

  JsonObject imported(String tenant, String apiId, String document, String contentType) {
    ApiClient.Answer answer = importDocument(tenant, apiId, document, contentType, "");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.json();
  }

  /** Method and path to the route's config, as a deployment froze it. */
  Map<String, RouteConfig> deployed(String tenant, String apiId) {
    String stage = fx.stage(tenant, apiId, "prod");
    JsonObject deployment = fx.deploy(tenant, apiId, stage);
    FrozenApi definition =
        Json.read(deployment.getJsonObject("definition").encode(), FrozenApi.class);
    return definition.routes().stream()
        .collect(Collectors.toMap(r -> r.method() + " " + r.resourcePath(), r -> r));
  }

  /** Route configs compared by what they do: route ids differ between APIs. */
  static Map<String, RouteConfig> withoutIds(Map<String, RouteConfig> routes) {
    return routes.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e -> {
                  RouteConfig r = e.getValue();
                  return new RouteConfig(
                      null,
                      r.method(),
                      r.resourcePath(),
                      r.apiKeyRequired(),
                      r.integration(),
                      r.validation());
                }));
  }

  JsonNode requestValidator(String apiId, String method, String path) {
    JSONB stored =
        owner
            .select(ROUTES.REQUEST_VALIDATOR)
            .from(ROUTES)
            .where(ROUTES.API_ID.eq(UUID.fromString(apiId)))
            .and(ROUTES.METHOD.eq(method))
            .and(ROUTES.RESOURCE_PATH.eq(path))
            .fetchOne(ROUTES.REQUEST_VALIDATOR);
    return stored == null ? null : Json.read(stored.data(), JsonNode.class);
  }

  /** What an API is made of, without ids and times, for comparing two definitions. */
  record Definition(
      Map<String, Boolean> keyRequired,
      Map<String, IntegrationSpec> integrations,
      Map<String, JsonNode> validators,
      JsonObject settings) {}

  Definition definition(String tenant, String apiId) {
    String base = "/v1/tenants/" + tenant + "/apis/" + apiId;
    Map<String, JsonObject> integrations =
        api.get(token, base + "/integrations").items().stream()
            .map(o -> (JsonObject) o)
            .collect(Collectors.toMap(o -> o.getString("id"), o -> o));
    Map<String, Boolean> keys = new java.util.TreeMap<>();
    Map<String, IntegrationSpec> specs = new java.util.TreeMap<>();
    Map<String, JsonNode> validators = new java.util.TreeMap<>();
    for (Object o : api.get(token, base + "/routes").items()) {
      JsonObject route = (JsonObject) o;
      String key = route.getString("method") + " " + route.getString("resourcePath");
      keys.put(key, route.getBoolean("apiKeyRequired"));
      JsonObject i = integrations.get(route.getString("integrationId"));
      specs.put(key, spec(i));
      JsonNode validator =
          requestValidator(apiId, route.getString("method"), route.getString("resourcePath"));
      if (validator != null) {
        validators.put(key, validator);
      }
    }
    JsonObject settings = api.get(token, base).json();
    JsonObject kept =
        new JsonObject()
            .put("apiKeySource", settings.getValue("apiKeySource"))
            .put("binaryMediaTypes", settings.getValue("binaryMediaTypes"))
            .put("gatewayResponses", settings.getValue("gatewayResponses"));
    return new Definition(keys, specs, validators, kept);
  }

  static IntegrationSpec spec(JsonObject i) {
    JsonObject mock = i.getJsonObject("mock");
    return new IntegrationSpec(
        i.getString("type"),
        i.getString("httpMethod"),
        i.getString("uri"),
        i.getInteger("connectTimeoutMillis"),
        i.getInteger("timeoutMillis"),
        i.getJsonObject("requestParameters").getMap().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue())),
        mock == null
            ? null
            : new MockResponse(
                mock.getInteger("statusCode"),
                mock.getJsonObject("headers").getMap().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue())),
                mock.getString("body")));
  }

  static List<String> pointers(ApiClient.Answer answer) {
    JsonArray errors = answer.json().getJsonArray("errors");
    return errors == null
        ? List.of()
        : errors.stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
  }

  @Nested
  class AnApiGatewayExport {
    @Test
    void imports_and_deploys_as_the_expected_route_configs() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      JsonObject result = imported(tenant, apiId, resource(AWS_EXPORT), "application/yaml");
      assertThat(result.getJsonArray("routes")).hasSize(7);

      Map<String, RouteConfig> routes = deployed(tenant, apiId);
      assertThat(routes.keySet())
          .containsExactlyInAnyOrder(
              "GET /pets",
              "POST /pets",
              "GET /pets/{petId}",
              "OPTIONS /pets/{petId}",
              "GET /health",
              "ANY /legacy",
              "ANY /{proxy+}");
      RouteConfig list = routes.get("GET /pets");
      assertThat(list.apiKeyRequired()).isTrue();
      assertThat(list.integration())
          .isEqualTo(
              new IntegrationConfig(
                  IntegrationType.HTTP,
                  "GET",
                  "http://${stageVariables.petHost}/petstore/pets",
                  10_000,
                  5_000,
                  Map.of(
                      "integration.request.querystring.page", "method.request.querystring.page",
                      "integration.request.querystring.type", "method.request.querystring.type",
                      "integration.request.header.x-stage", "stageVariables.stageLabel"),
                  null));
      assertThat(routes.get("POST /pets").integration().requestParameters())
          .containsEntry("integration.request.header.x-source", "'turnpike'");
      assertThat(routes.get("GET /pets/{petId}").integration().requestParameters())
          .isEqualTo(Map.of("integration.request.path.id", "method.request.path.petId"));
      RouteConfig proxy = routes.get("ANY /{proxy+}");
      assertThat(proxy.apiKeyRequired()).isTrue();
      assertThat(proxy.integration())
          .isEqualTo(
              new IntegrationConfig(
                  IntegrationType.HTTP_PROXY,
                  "ANY",
                  "https://backend.example.com/{proxy}",
                  10_000,
                  29_000,
                  Map.of("integration.request.path.proxy", "method.request.path.proxy"),
                  null));
      RouteConfig legacy = routes.get("ANY /legacy");
      assertThat(legacy.apiKeyRequired()).isFalse();
      assertThat(legacy.integration().type()).isEqualTo(IntegrationType.HTTP_PROXY);
      assertThat(legacy.integration().timeoutMillis()).isEqualTo(10_000);
      RouteConfig health = routes.get("GET /health");
      assertThat(health.apiKeyRequired()).isFalse();
      assertThat(health.integration().type()).isEqualTo(IntegrationType.MOCK);
      assertThat(health.integration().mock())
          .isEqualTo(
              new MockResponse(200, Map.of("Cache-Control", "no-store"), "{\"status\": \"ok\"}"));
      assertThat(routes.get("OPTIONS /pets/{petId}").integration().mock())
          .isEqualTo(
              new MockResponse(
                  200,
                  Map.of(
                      "Access-Control-Allow-Methods", "GET,OPTIONS",
                      "Access-Control-Allow-Origin", "*"),
                  ""));
    }

    @Test
    void keeps_validators_gateway_responses_binary_types_and_the_document() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(AWS_EXPORT), "text/yaml");

      assertThat(requestValidator(apiId, "GET", "/pets"))
          .isEqualTo(
              Json.read(
                  "{\"name\":\"params-only\",\"validateParameters\":true,\"validateBody\":false,"
                      + "\"requiredParameters\":[\"method.request.querystring.type\"],"
                      + "\"bodySchema\":null}",
                  JsonNode.class));
      JsonNode full = requestValidator(apiId, "POST", "/pets");
      assertThat(full.get("validateBody").asBoolean()).isTrue();
      assertThat(full.get("requiredParameters").get(0).asText())
          .isEqualTo("method.request.header.x-request-id");
      assertThat(requestValidator(apiId, "GET", "/pets/{petId}")).isNull();
      assertThat(full.get("bodySchema"))
          .isEqualTo(
              Json.read(
                  "{\"type\":\"object\",\"required\":[\"type\"],\"properties\":"
                      + "{\"type\":{\"type\":\"string\"},\"price\":{\"type\":\"number\"}}}",
                  JsonNode.class));

      JsonObject settings = api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).json();
      assertThat(settings.getString("apiKeySource")).isEqualTo("HEADER");
      assertThat(settings.getJsonArray("binaryMediaTypes").stream().toList())
          .containsExactly("image/png", "application/octet-stream");
      GatewayResponseConfig throttled =
          Json.read(
              settings.getJsonObject("gatewayResponses").getJsonObject("THROTTLED").encode(),
              GatewayResponseConfig.class);
      assertThat(throttled)
          .isEqualTo(
              new GatewayResponseConfig(
                  429,
                  Map.of("Retry-After", "1"),
                  null,
                  Map.of(),
                  Map.of(
                      "application/json",
                      "{\"message\":$context.error.messageString,\"hint\":\"slow down\"}")));
      assertThat(
              settings
                  .getJsonObject("gatewayResponses")
                  .getJsonObject("DEFAULT_4XX")
                  .getJsonObject("headers")
                  .getString("Access-Control-Allow-Origin"))
          .isEqualTo("*");

      JSONB document =
          owner
              .select(APIS.OPENAPI_DOCUMENT)
              .from(APIS)
              .where(APIS.ID.eq(UUID.fromString(apiId)))
              .fetchOne(APIS.OPENAPI_DOCUMENT);
      JsonNode kept = Json.read(document.data(), JsonNode.class);
      assertThat(kept.at("/info/title").asText()).isEqualTo("PetStore");
      assertThat(kept.at("/components/schemas/Pet/properties/price/type").asText())
          .isEqualTo("number");
    }

    @Test
    void deploys_the_validators_for_the_gateway_to_enforce() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(AWS_EXPORT), "text/yaml");

      Map<String, RouteConfig> routes = deployed(tenant, apiId);

      RequestValidation post = routes.get("POST /pets").validation();
      assertThat(post.requiredParameters()).containsExactly("method.request.header.x-request-id");
      assertThat(post.bodySchema().at("/required/0").asText()).isEqualTo("type");
      assertThat(post.bodySchema().toString()).doesNotContain("$ref");
      RequestValidation get = routes.get("GET /pets").validation();
      assertThat(get.requiredParameters()).containsExactly("method.request.querystring.type");
      assertThat(get.bodySchema()).isNull();
      assertThat(routes.get("GET /pets/{petId}").validation()).isNull();
    }

    @Test
    void deploys_cache_key_parameters_onto_the_routes_they_tell_apart() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document =
          resource(AWS_EXPORT)
              .replace(
                  "        timeoutInMillis: 5000\n",
                  "        timeoutInMillis: 5000\n"
                      + "        cacheNamespace: \"pets\"\n"
                      + "        cacheKeyParameters:\n"
                      + "          - \"method.request.querystring.page\"\n"
                      + "          - \"method.request.querystring.type\"\n");
      JsonObject result = imported(tenant, apiId, document, "application/yaml");
      assertThat(result.getJsonArray("warnings").encode()).doesNotContain("cache");

      Map<String, RouteConfig> routes = deployed(tenant, apiId);

      assertThat(routes.get("GET /pets").cacheKeyParameters())
          .containsExactly("method.request.querystring.page", "method.request.querystring.type");
      assertThat(routes.get("POST /pets").cacheKeyParameters()).isEmpty();
    }

    @Test
    void records_one_audit_entry_and_warns_about_what_it_does_not_apply() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document =
          resource(AWS_EXPORT)
              .replace(
                  "        timeoutInMillis: 5000\n",
                  "        timeoutInMillis: 5000\n"
                      + "        credentials: \"arn:aws:iam::123456789012:role/pets\"\n");
      JsonObject result = imported(tenant, apiId, document, "application/yaml");
      assertThat(
              result.getJsonArray("warnings").stream()
                  .map(w -> ((JsonObject) w).getString("pointer")))
          .contains("/paths/~1pets/get/x-amazon-apigateway-integration/credentials");
      assertThat(
              owner.fetchCount(
                  AUDIT_LOG,
                  AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant)),
                  AUDIT_LOG.ACTION.eq("api.openapi_import")))
          .isEqualTo(1);
    }
  }

  @Nested
  class AnOpenApi31JsonDocument {
    @Test
    void imports_with_turnpike_integrations_global_security_and_an_explicit_opt_out() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(CATALOG_31), "application/json");

      Map<String, RouteConfig> routes = deployed(tenant, apiId);
      assertThat(routes.keySet()).containsExactlyInAnyOrder("GET /items", "DELETE /items/{itemId}");
      RouteConfig items = routes.get("GET /items");
      assertThat(items.apiKeyRequired()).isTrue();
      assertThat(items.integration())
          .isEqualTo(
              new IntegrationConfig(
                  IntegrationType.HTTP,
                  "GET",
                  "https://catalog.example.com/items",
                  2_000,
                  8_000,
                  Map.of("integration.request.querystring.search", "method.request.querystring.q"),
                  null));
      RouteConfig delete = routes.get("DELETE /items/{itemId}");
      assertThat(delete.apiKeyRequired()).isFalse();
      assertThat(delete.integration().mock())
          .isEqualTo(new MockResponse(204, Map.of("x-deleted", "yes"), ""));
      assertThat(requestValidator(apiId, "GET", "/items").get("requiredParameters").get(0).asText())
          .isEqualTo("method.request.querystring.q");
    }
  }

  @Nested
  class AnInvalidDocument {
    @Test
    void answers_400_with_a_pointer_per_problem_and_changes_nothing() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(CATALOG_31), "application/json");
      Definition before = definition(tenant, apiId);

      String document =
          """
          openapi: 3.0.1
          info: {title: Broken, version: "1"}
          paths:
            /orders:
              get:
                x-amazon-apigateway-integration:
                  type: aws
                  httpMethod: POST
                  uri: arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem
              post:
                x-amazon-apigateway-integration:
                  type: http
                  httpMethod: POST
                  uri: https://orders.example.com/orders
                  timeoutInMillis: 30000
              fetch:
                x-amazon-apigateway-integration: {type: mock}
          """;
      ApiClient.Answer answer = importDocument(tenant, apiId, document, "application/yaml", "");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.contentType()).isEqualTo("application/problem+json");
      assertThat(answer.json().getString("type"))
          .isEqualTo("https://turnpike.dev/problems/validation-failed");
      assertThat(pointers(answer))
          .containsExactly(
              "/paths/~1orders/get/x-amazon-apigateway-integration/uri",
              "/paths/~1orders/post/x-amazon-apigateway-integration/timeoutInMillis",
              "/paths/~1orders/fetch");
      assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("message"))
          .contains("aws")
          .contains("AWS services other than Lambda")
          .contains("not supported here");
      assertThat(definition(tenant, apiId)).isEqualTo(before);
    }

    @Test
    void malformed_yaml_is_reported_at_the_root_with_line_and_column() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      ApiClient.Answer answer =
          importDocument(
              tenant, apiId, "openapi: 3.0.1\npaths:\n  /a: [1,\n    b: : c\n", "text/yaml", "");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("");
      assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("message"))
          .matches("line \\d+, column \\d+: .+");
    }

    @Test
    void malformed_json_is_reported_at_the_root_with_line_and_column() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      ApiClient.Answer answer =
          importDocument(
              tenant, apiId, "{\"openapi\": \"3.1.0\",\n \"paths\": {]}", "application/json", "");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("");
      assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("message"))
          .startsWith("line 2, column ");
    }

    @Test
    void a_swagger_2_document_is_not_openapi_3() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      ApiClient.Answer answer =
          importDocument(
              tenant, apiId, "{\"swagger\": \"2.0\", \"paths\": {}}", "application/json", "");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("/openapi");
    }

    @Test
    void path_rules_of_api_gateway_apply() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String mock =
          "{\"x-turnpike-integration\": {\"type\": \"mock\", \"mock\": {\"statusCode\": 200}}}";
      String document =
          "{\"openapi\": \"3.0.3\", \"paths\": {"
              + "\"/pets/{id}\": {\"get\": "
              + mock
              + "},"
              + "\"/pets/{petId}/toys\": {\"get\": "
              + mock
              + "},"
              + "\"/files/{path+}/meta\": {\"get\": "
              + mock
              + "},"
              + "\"/orders\": {\"get\": {}},"
              + "\"/hooks\": {\"post\": {\"x-amazon-apigateway-integration\": {\"type\": \"http\", \"httpMethod\": \"POST\"}}}"
              + "}}";
      ApiClient.Answer answer = importDocument(tenant, apiId, document, "application/json", "");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(pointers(answer))
          .containsExactly(
              "/paths/~1pets~1{petId}~1toys",
              "/paths/~1files~1{path+}~1meta",
              "/paths/~1orders/get",
              "/paths/~1hooks/post/x-amazon-apigateway-integration/uri");
    }

    @Test
    void an_authorizer_is_refused_rather_than_dropped() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document =
          """
          {"openapi": "3.0.1",
           "paths": {"/me": {"get": {
             "security": [{"cognito": []}],
             "x-amazon-apigateway-integration": {"type": "http_proxy", "httpMethod": "GET", "uri": "https://me.example.com"}}}},
           "components": {"securitySchemes": {"cognito": {
             "type": "apiKey", "name": "Authorization", "in": "header",
             "x-amazon-apigateway-authtype": "cognito_user_pools"}}}}
          """;
      ApiClient.Answer answer = importDocument(tenant, apiId, document, "application/json", "");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("/paths/~1me/get/security/0/cognito");
    }

    @Test
    void an_unknown_media_type_or_mode_is_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document = resource(CATALOG_31);
      assertThat(importDocument(tenant, apiId, document, "text/plain", "").status()).isEqualTo(415);
      ApiClient.Answer mode =
          importDocument(tenant, apiId, document, "application/json", "?mode=replace");
      assertThat(mode.status()).isEqualTo(400);
      assertThat(pointers(mode)).containsExactly("mode");
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes").items())
          .isEmpty();
    }
  }

  @Nested
  class Modes {
    static final String PING =
        """
        {"openapi": "3.0.1", "paths": {"/ping": {"get": {"x-amazon-apigateway-integration":
          {"type": "mock", "responses": {"default": {"statusCode": "200"}}}}}}}
        """;

    @Test
    void overwrite_keeps_the_ids_of_surviving_routes_and_removes_the_rest() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      String manual = fx.route(tenant, apiId, integration, "GET", "/ping");
      fx.route(tenant, apiId, integration, "GET", "/old");

      JsonObject result = imported(tenant, apiId, PING, "application/json");

      assertThat(result.getJsonArray("routes")).hasSize(1);
      assertThat(result.getJsonArray("routes").getJsonObject(0).getString("id")).isEqualTo(manual);
      assertThat(result.getJsonArray("integrations")).hasSize(1);
      assertThat(result.getJsonArray("integrations").getJsonObject(0).getString("type"))
          .isEqualTo("mock");
    }

    @Test
    void merge_adds_and_replaces_operations_and_keeps_the_others() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(AWS_EXPORT), "application/yaml");
      String health =
          """
          {"openapi": "3.0.1", "paths": {
            "/health": {"get": {"x-amazon-apigateway-integration": {"type": "mock",
              "responses": {"default": {"statusCode": "503"}}}}},
            "/ping": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}},
           "x-amazon-apigateway-binary-media-types": ["image/jpeg"]}
          """;
      ApiClient.Answer answer =
          importDocument(tenant, apiId, health, "application/json", "?mode=merge");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);

      Definition after = definition(tenant, apiId);
      assertThat(after.keyRequired()).hasSize(8).containsKeys("GET /ping", "ANY /{proxy+}");
      assertThat(after.integrations().get("GET /health").mock().statusCode()).isEqualTo(503);
      assertThat(after.settings().getJsonArray("binaryMediaTypes").stream().toList())
          .containsExactly("image/png", "application/octet-stream", "image/jpeg");
      assertThat(after.settings().getJsonObject("gatewayResponses").fieldNames())
          .contains("THROTTLED");
      assertThat(
              api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations").items())
          .hasSize(8);
    }

    @Test
    void merge_refuses_a_path_that_conflicts_with_one_the_api_keeps() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(AWS_EXPORT), "application/yaml");
      String conflicting =
          """
          {"openapi": "3.0.1", "paths": {"/pets/{id}/toys": {"get": {
            "x-amazon-apigateway-integration": {"type": "mock"}}}}}
          """;
      ApiClient.Answer answer =
          importDocument(tenant, apiId, conflicting, "application/json", "?mode=merge");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(pointers(answer)).containsExactly("/paths/~1pets~1{id}~1toys");
    }
  }

  @Nested
  class Export {
    @Test
    void a_source_ip_policy_and_compression_size_import_onto_the_api_and_export_back() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document =
          "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"p\", \"version\": \"1\"},"
              + " \"x-amazon-apigateway-minimum-compression-size\": 512,"
              + " \"x-amazon-apigateway-policy\": {\"Version\": \"2012-10-17\", \"Statement\": ["
              + "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
              + " \"Resource\": \"execute-api:/*\"},"
              + "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
              + " \"Resource\": \"execute-api:/*\", \"Condition\": {\"NotIpAddress\":"
              + " {\"aws:SourceIp\": [\"203.0.113.0/24\"]}}}]},"
              + " \"paths\": {\"/a\": {\"get\": {\"x-amazon-apigateway-integration\":"
              + " {\"type\": \"mock\"}}}}}";

      imported(tenant, apiId, document, "application/json");

      JsonObject read = api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).json();
      assertThat(read.getJsonObject("sourceIpPolicy").getJsonArray("allowCidrs"))
          .containsExactly("203.0.113.0/24");
      assertThat(read.getInteger("minimumCompressionSize")).isEqualTo(512);
      JsonObject exported = api.get(token, openapi(tenant, apiId)).json();
      assertThat(exported.getInteger("x-amazon-apigateway-minimum-compression-size"))
          .isEqualTo(512);
      String second = fx.api(tenant);
      imported(tenant, second, exported.encode(), "application/json");
      JsonObject again = api.get(token, "/v1/tenants/" + tenant + "/apis/" + second).json();
      assertThat(again.getJsonObject("sourceIpPolicy"))
          .isEqualTo(read.getJsonObject("sourceIpPolicy"));
    }

    @Test
    void a_policy_on_anything_but_source_addresses_is_refused_and_changes_nothing() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String document =
          "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"p\", \"version\": \"1\"},"
              + " \"x-amazon-apigateway-policy\": {\"Statement\": [{\"Effect\": \"Allow\","
              + " \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\", \"Resource\":"
              + " \"execute-api:/*\", \"Condition\": {\"StringEquals\": {\"aws:SourceVpce\":"
              + " \"vpce-1\"}}}]},"
              + " \"paths\": {\"/a\": {\"get\": {\"x-amazon-apigateway-integration\":"
              + " {\"type\": \"mock\"}}}}}";

      ApiClient.Answer refused = importDocument(tenant, apiId, document, "application/json", "");

      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body()).contains("StringEquals", "not supported");
      assertThat(
              api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId)
                  .json()
                  .getValue("sourceIpPolicy"))
          .isNull();
    }

    @Test
    void import_export_import_gives_the_same_definition() {
      String tenant = fx.tenant();
      String first = fx.api(tenant);
      imported(tenant, first, resource(AWS_EXPORT), "application/yaml");
      ApiClient.Answer exported = api.get(token, openapi(tenant, first) + "?format=yaml");
      assertThat(exported.status()).isEqualTo(200);
      assertThat(exported.contentType()).isEqualTo("application/yaml");

      String second = fx.api(tenant);
      JsonObject again = imported(tenant, second, exported.body(), "application/yaml");

      assertThat(again.getJsonArray("warnings")).isEmpty();
      assertThat(definition(tenant, second)).isEqualTo(definition(tenant, first));
    }

    @Test
    void mapping_templates_and_integration_responses_deploy_and_survive_an_export() {
      String tenant = fx.tenant();
      String first = fx.api(tenant);
      JsonObject result =
          imported(tenant, first, resource("mapping-templates.yaml"), "application/yaml");
      assertThat(result.getJsonArray("warnings")).isEmpty();

      Map<String, RouteConfig> routes = deployed(tenant, first);
      IntegrationConfig orders = routes.get("POST /orders").integration();
      assertThat(orders.requestTemplates()).containsOnlyKeys("application/json");
      assertThat(orders.passthroughBehavior()).isEqualTo(PassthroughBehavior.WHEN_NO_TEMPLATES);
      assertThat(orders.contentHandling()).isEqualTo(ContentHandling.CONVERT_TO_TEXT);
      assertThat(orders.responses())
          .extracting(IntegrationResponse::selectionPattern, IntegrationResponse::statusCode)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("4\\d{2}", 400),
              org.assertj.core.groups.Tuple.tuple(null, 201));
      IntegrationConfig status = routes.get("GET /status").integration();
      assertThat(status.mock()).isNull();
      assertThat(status.passthroughBehavior()).isEqualTo(PassthroughBehavior.NEVER);
      assertThat(status.responses())
          .extracting(IntegrationResponse::statusCode)
          .containsExactly(503, 200);

      ApiClient.Answer exported = api.get(token, openapi(tenant, first) + "?format=yaml");
      String second = fx.api(tenant);
      JsonObject again = imported(tenant, second, exported.body(), "application/yaml");

      assertThat(again.getJsonArray("warnings")).isEmpty();
      assertThat(withoutIds(deployed(tenant, second))).isEqualTo(withoutIds(routes));
      assertThat(definition(tenant, second).settings())
          .isEqualTo(definition(tenant, first).settings());
    }

    @Test
    void writes_openapi_3_0_1_with_api_gateway_extensions() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(AWS_EXPORT), "application/yaml");
      ApiClient.Answer answer = api.get(token, openapi(tenant, apiId));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).isEqualTo("application/json");
      JsonObject doc = answer.json();

      assertThat(doc.getString("openapi")).isEqualTo("3.0.1");
      assertThat(doc.getJsonObject("info").getString("title")).isEqualTo("Pets");
      JsonObject server = doc.getJsonArray("servers").getJsonObject(0);
      assertThat(server.getString("url")).isEqualTo("/{basePath}");
      JsonObject paths = doc.getJsonObject("paths");
      JsonObject proxy =
          paths.getJsonObject("/{proxy+}").getJsonObject("x-amazon-apigateway-any-method");
      assertThat(proxy.getJsonArray("security").getJsonObject(0).containsKey("api_key")).isTrue();
      assertThat(proxy.getJsonArray("parameters").getJsonObject(0).getString("name"))
          .isEqualTo("proxy");
      assertThat(proxy.getJsonObject("x-amazon-apigateway-integration").getString("type"))
          .isEqualTo("http_proxy");
      assertThat(
              doc.getJsonObject("components")
                  .getJsonObject("securitySchemes")
                  .getJsonObject("api_key")
                  .getString("name"))
          .isEqualTo("x-api-key");
      assertThat(doc.getJsonObject("x-amazon-apigateway-gateway-responses").fieldNames())
          .containsExactlyInAnyOrder("THROTTLED", "DEFAULT_4XX");
      assertThat(doc.getJsonArray("x-amazon-apigateway-binary-media-types").stream().toList())
          .containsExactly("image/png", "application/octet-stream");
      assertThat(doc.getJsonObject("x-amazon-apigateway-request-validators").fieldNames())
          .containsExactlyInAnyOrder("params-only", "full");
    }

    @Test
    void exports_an_api_defined_by_hand_and_names_its_deployed_stage() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      fx.route(tenant, apiId, integration, "GET", "/things/{id}");
      fx.deploy(tenant, apiId, fx.stage(tenant, apiId, "live"));

      JsonObject doc = api.get(token, openapi(tenant, apiId)).json();
      assertThat(
              doc.getJsonArray("servers")
                  .getJsonObject(0)
                  .getJsonObject("variables")
                  .getJsonObject("basePath")
                  .getString("default"))
          .isEqualTo("live");
      JsonObject get =
          doc.getJsonObject("paths").getJsonObject("/things/{id}").getJsonObject("get");
      assertThat(get.getJsonArray("parameters").getJsonObject(0).getString("in")).isEqualTo("path");
      assertThat(get.getJsonObject("x-amazon-apigateway-integration").getInteger("timeoutInMillis"))
          .isEqualTo(5000);
      assertThat(api.get(token, openapi(tenant, apiId) + "?format=xml").status()).isEqualTo(400);
    }

    @Test
    void a_stage_export_is_what_the_stage_serves_and_imports_back_as_it() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      imported(tenant, apiId, resource(AWS_EXPORT), "application/yaml");
      Map<String, RouteConfig> served = deployed(tenant, apiId);
      String routes = "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes";
      String health =
          api.get(token, routes).items().stream()
              .map(JsonObject.class::cast)
              .filter(r -> r.getString("resourcePath").equals("/health"))
              .findFirst()
              .orElseThrow()
              .getString("id");
      assertThat(api.delete(token, routes + "/" + health).status()).isEqualTo(204);

      ApiClient.Answer stage = api.get(token, openapi(tenant, apiId) + "?stage=prod");
      assertThat(stage.status()).as(stage.toString()).isEqualTo(200);
      JsonObject doc = stage.json();
      assertThat(doc.getJsonObject("paths").containsKey("/health")).isTrue();
      JsonObject draft = api.get(token, openapi(tenant, apiId)).json();
      assertThat(draft.getJsonObject("paths").containsKey("/health")).isFalse();
      assertThat(
              doc.getJsonArray("servers")
                  .getJsonObject(0)
                  .getJsonObject("variables")
                  .getJsonObject("basePath")
                  .getString("default"))
          .isEqualTo("prod");

      String copy = fx.api(tenant);
      imported(tenant, copy, doc.encode(), "application/json");
      assertThat(withoutIds(deployed(tenant, copy))).isEqualTo(withoutIds(served));
    }

    @Test
    void a_stage_export_needs_a_deployed_stage_of_the_api() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/things");
      fx.stage(tenant, apiId, "dev");
      ApiClient.Answer undeployed = api.get(token, openapi(tenant, apiId) + "?stage=dev");
      assertThat(undeployed.status()).as(undeployed.toString()).isEqualTo(409);
      assertThat(undeployed.json().getString("detail")).contains("dev", "no deployment");
      assertThat(api.get(token, openapi(tenant, apiId) + "?stage=nope").status()).isEqualTo(404);
    }
  }

  @Nested
  class TenantIsolation {
    @Test
    void another_tenant_gets_404_from_both_endpoints_and_changes_nothing() {
      String tenantA = fx.tenant();
      String apiA = fx.api(tenantA);
      imported(tenantA, apiA, resource(AWS_EXPORT), "application/yaml");
      Definition before = definition(tenantA, apiA);

      String tokenB = cp.token("other-" + UUID.randomUUID());
      String tenantB = new Fixture(api, tokenB).tenant();
      String document = resource(CATALOG_31);
      for (String tenant : List.of(tenantA, tenantB)) {
        ApiClient.Answer post =
            api.send("POST", tokenB, openapi(tenant, apiA), document, "application/json");
        assertThat(post.status()).as(post.toString()).isEqualTo(404);
        assertThat(post.contentType()).isEqualTo("application/problem+json");
        ApiClient.Answer get = api.get(tokenB, openapi(tenant, apiA) + "?format=yaml");
        assertThat(get.status()).as(get.toString()).isEqualTo(404);
        assertThat(get.contentType()).isEqualTo("application/problem+json");
      }
      assertThat(definition(tenantA, apiA)).isEqualTo(before);
    }

    @Test
    void a_viewer_may_export_but_not_import() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String viewer = cp.token("viewer-" + UUID.randomUUID());
      String viewerId = api.get(viewer, "/v1/me").json().getString("id");
      assertThat(
              api.put(
                      token,
                      "/v1/tenants/" + tenant + "/members/" + viewerId,
                      new JsonObject().put("role", "viewer"))
                  .status())
          .isEqualTo(200);
      assertThat(api.get(viewer, openapi(tenant, apiId)).status()).isEqualTo(200);
      assertThat(
              api.send(
                      "POST",
                      viewer,
                      openapi(tenant, apiId),
                      resource(CATALOG_31),
                      "application/json")
                  .status())
          .isEqualTo(403);
    }
  }
}
