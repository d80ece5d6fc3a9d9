package dev.turnpike.controlplane.authorizer;

import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.AUTHORIZERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.AuthorizerType;
import dev.turnpike.contracts.config.RouteAuthorization;
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
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's management API on a real database: authorizers per API, methods' authorization, and
 * deployments freezing both.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizersTest {
  static final String ISSUER = "https://id.example.com/realms/acme";

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

  static String authorizers(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/authorizers";
  }

  static JsonObject jwt(String issuer, String... audience) {
    return new JsonObject()
        .put("type", "jwt")
        .put(
            "jwt",
            new JsonObject()
                .put("issuer", issuer)
                .put("audience", new JsonArray(List.of(audience))));
  }

  static List<String> pointers(ApiClient.Answer answer) {
    return answer.json().getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer"))
        .toList();
  }

  ApiClient.Answer route(String tenant, String apiId, JsonObject body) {
    return api.post(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes", body);
  }

  int auditCount(String tenant, String action) {
    return owner.fetchCount(
        AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant)), AUDIT_LOG.ACTION.eq(action));
  }

  @Test
  void creates_replaces_reads_lists_and_deletes_an_authorizer_with_an_audit_trail() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String one = authorizers(tenant, apiId) + "/keycloak";

    ApiClient.Answer created = api.put(token, one, jwt(ISSUER, "pets-api"));
    ApiClient.Answer replaced =
        api.put(
            token,
            one,
            jwt(ISSUER, "pets-api", "console")
                .put("identitySources", new JsonArray().add("$request.header.X-Token")));

    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().getString("type")).isEqualTo("jwt");
    assertThat(created.json().getJsonArray("identitySources"))
        .containsExactly("$request.header.Authorization");
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(replaced.json().getString("id")).isEqualTo(created.json().getString("id"));
    assertThat(api.get(token, one).json().getJsonObject("jwt").getJsonArray("audience"))
        .containsExactly("pets-api", "console");
    assertThat(api.get(token, authorizers(tenant, apiId)).items())
        .extracting(o -> ((JsonObject) o).getString("name"))
        .containsExactly("keycloak");
    assertThat(api.delete(token, one).status()).isEqualTo(204);
    assertThat(api.get(token, one).status()).isEqualTo(404);
    assertThat(auditCount(tenant, "authorizer.create")).isEqualTo(1);
    assertThat(auditCount(tenant, "authorizer.update")).isEqualTo(1);
    assertThat(auditCount(tenant, "authorizer.delete")).isEqualTo(1);
  }

  @Test
  void an_invalid_authorizer_is_a_400_problem_naming_each_field_and_changes_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer bad =
        api.put(
            token,
            authorizers(tenant, apiId) + "/lambda",
            new JsonObject()
                .put("type", "token")
                .put("function", "auth")
                .put("endpointUrl", "https://auth.example.com")
                .put("resultTtlSeconds", 7200)
                .put("identityValidationExpression", "(unclosed"));
    ApiClient.Answer unknownField =
        api.put(
            token,
            authorizers(tenant, apiId) + "/k",
            jwt(ISSUER, "a").put("providerArns", new JsonArray()));

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(pointers(bad))
        .containsExactlyInAnyOrder(
            "/function", "/resultTtlSeconds", "/identityValidationExpression");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(owner.fetchCount(AUTHORIZERS, AUTHORIZERS.API_ID.eq(UUID.fromString(apiId))))
        .isZero();
  }

  @Test
  void methods_name_authorizers_deleting_a_used_one_is_409_and_a_deployment_freezes_both() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    String authorizerId =
        api.put(token, authorizers(tenant, apiId) + "/keycloak", jwt(ISSUER, "pets-api"))
            .json()
            .getString("id");
    ApiClient.Answer authorized =
        route(
            tenant,
            apiId,
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/pets")
                .put("integrationId", integration)
                .put("authorizationType", "JWT")
                .put("authorizer", "keycloak")
                .put("authorizationScopes", new JsonArray().add("pets:read")));
    assertThat(authorized.status()).as(authorized.toString()).isEqualTo(201);
    assertThat(authorized.json().getString("authorizerId")).isEqualTo(authorizerId);

    ApiClient.Answer refused = api.delete(token, authorizers(tenant, apiId) + "/keycloak");
    JsonObject deployment = fx.deploy(tenant, apiId, fx.stage(tenant, apiId, "prod"));

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("detail")).contains("GET /pets");
    FrozenApi frozen = Json.read(deployment.getJsonObject("definition").encode(), FrozenApi.class);
    AuthorizerConfig frozenAuthorizer = frozen.authorizers().getFirst();
    assertThat(frozenAuthorizer.authorizerId()).isEqualTo(authorizerId);
    assertThat(frozenAuthorizer.type()).isEqualTo(AuthorizerType.JWT);
    assertThat(frozenAuthorizer.jwt().issuer()).isEqualTo(ISSUER);
    RouteConfig route = frozen.routes().getFirst();
    assertThat(route.authorization())
        .isEqualTo(new RouteAuthorization(authorizerId, List.of("pets:read")));
  }

  @Test
  void a_tenant_cannot_reach_or_name_another_tenants_authorizer() {
    String victim = fx.tenant();
    String victimApi = fx.api(victim);
    String authorizerId =
        api.put(token, authorizers(victim, victimApi) + "/keycloak", jwt(ISSUER, "a"))
            .json()
            .getString("id");
    String otherToken = cp.token("mallory-" + UUID.randomUUID());
    Fixture mallory = new Fixture(api, otherToken);
    String attacker = mallory.tenant();
    String attackerApi = mallory.api(attacker);
    String integration = mallory.integration(attacker, attackerApi);

    ApiClient.Answer read = api.get(otherToken, authorizers(attacker, victimApi) + "/keycloak");
    ApiClient.Answer named =
        api.post(
            otherToken,
            "/v1/tenants/" + attacker + "/apis/" + attackerApi + "/routes",
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/x")
                .put("integrationId", integration)
                .put("authorizationType", "JWT")
                .put("authorizerId", authorizerId));
    ApiClient.Answer acrossTenants =
        api.get(otherToken, authorizers(victim, victimApi) + "/keycloak");

    assertThat(read.status()).isEqualTo(404);
    assertThat(named.status()).isEqualTo(400);
    assertThat(pointers(named)).containsExactly("/authorizerId");
    // Not a member: the tenant is not there for the caller (no hint that it exists).
    assertThat(acrossTenants.status()).isEqualTo(404);
  }

  static final String DOCUMENT =
      """
      {
        "openapi": "3.0.1",
        "info": {"title": "orders", "version": "1"},
        "paths": {
          "/orders": {
            "get": {
              "security": [{"cognito": ["orders/read", "orders/admin"]}],
              "x-amazon-apigateway-integration": {"type": "mock"}
            },
            "post": {
              "security": [{"api_key": []}, {"lambda-token": []}],
              "x-amazon-apigateway-integration": {"type": "mock"}
            }
          }
        },
        "components": {
          "securitySchemes": {
            "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
            "cognito": {
              "type": "oauth2", "flows": {},
              "x-amazon-apigateway-authorizer": {
                "type": "jwt", "identitySource": "$request.header.Authorization",
                "jwtConfiguration": {
                  "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
                  "audience": ["7ab3c1k0mf2g5example"]}}
            },
            "lambda-token": {
              "type": "apiKey", "name": "Authorization", "in": "header",
              "x-amazon-apigateway-authtype": "custom",
              "x-amazon-apigateway-authorizer": {
                "type": "token",
                "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-auth/invocations",
                "authorizerResultTtlInSeconds": 60}
            }
          }
        }
      }
      """;

  @Test
  void an_aws_export_imports_its_authorizers_and_scopes_and_exports_them_back() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi";

    ApiClient.Answer imported = api.send("POST", token, path, DOCUMENT, "application/json");

    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    assertThat(imported.json().getJsonArray("warnings").encode())
        .contains("names function token-auth, which is not registered");
    JsonObject cognito = api.get(token, authorizers(tenant, apiId) + "/cognito").json();
    JsonObject routes =
        new JsonObject()
            .put(
                "all",
                api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes").items());
    JsonObject get =
        routes.getJsonArray("all").stream()
            .map(o -> (JsonObject) o)
            .filter(r -> r.getString("method").equals("GET"))
            .findFirst()
            .orElseThrow();
    assertThat(get.getString("authorizerId")).isEqualTo(cognito.getString("id"));
    assertThat(get.getJsonArray("authorizationScopes"))
        .containsExactly("orders/read", "orders/admin");

    ApiClient.Answer exported = api.get(token, path);
    ApiClient.Answer again = api.send("POST", token, path, exported.body(), "application/json");

    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(api.get(token, authorizers(tenant, apiId) + "/cognito").json().getString("id"))
        .isEqualTo(cognito.getString("id"));
    JsonObject getAgain =
        api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes").items().stream()
            .map(o -> (JsonObject) o)
            .filter(r -> r.getString("method").equals("GET"))
            .findFirst()
            .orElseThrow();
    assertThat(getAgain.getJsonArray("authorizationScopes"))
        .containsExactly("orders/read", "orders/admin");
  }

  @Test
  void deleting_an_api_takes_its_authorizers_with_it_even_when_methods_use_them() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    api.put(token, authorizers(tenant, apiId) + "/keycloak", jwt(ISSUER, "a"));
    ApiClient.Answer route =
        route(
            tenant,
            apiId,
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/pets")
                .put("integrationId", integration)
                .put("authorizer", "keycloak"));
    assertThat(route.status()).as(route.toString()).isEqualTo(201);

    ApiClient.Answer deleted = api.delete(token, "/v1/tenants/" + tenant + "/apis/" + apiId);

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
    assertThat(owner.fetchCount(AUTHORIZERS, AUTHORIZERS.API_ID.eq(UUID.fromString(apiId))))
        .isZero();
  }
}
