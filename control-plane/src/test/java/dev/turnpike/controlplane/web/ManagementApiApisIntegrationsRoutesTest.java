package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The management API: apis integrations routes (on the control plane shared by every {@link
 * ManagementApiFeatureTest}).
 */
class ManagementApiApisIntegrationsRoutesTest extends ManagementApiFeatureTest {
  @Test
  void an_api_is_created_read_updated_and_deleted() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    var updated =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId,
            new JsonObject()
                .put("name", "Pets v2")
                .put("binaryMediaTypes", new JsonArray().add("image/png"))
                .put(
                    "gatewayResponses",
                    new JsonObject()
                        .put(
                            "THROTTLED",
                            new JsonObject()
                                .put("statusCode", 429)
                                .put("body", "{\"m\":\"slow\"}"))));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).json().getString("name"))
        .isEqualTo("Pets v2");
    assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis").items()).hasSize(1);
    assertThat(api.delete(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
        .isEqualTo(204);
    assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status()).isEqualTo(404);
    assertThat(auditCount(tenant, "api.create")).isEqualTo(1);
    assertThat(auditCount(tenant, "api.update")).isEqualTo(1);
    assertThat(auditCount(tenant, "api.delete")).isEqualTo(1);
  }

  @Test
  void gateway_response_headers_the_gateway_could_not_send_are_refused() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    var answer =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId,
            new JsonObject()
                .put("name", "Pets")
                .put(
                    "gatewayResponses",
                    new JsonObject()
                        .put(
                            "DEFAULT_4XX",
                            new JsonObject()
                                .put(
                                    "headers",
                                    new JsonObject()
                                        .put("Retry-After", "10")
                                        .put("Bad Name", "x")
                                        .put("X-Split", "a\r\nSet-Cookie: b")))));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(
            answer.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .containsExactlyInAnyOrder(
            "/gatewayResponses/DEFAULT_4XX/headers/Bad Name",
            "/gatewayResponses/DEFAULT_4XX/headers/X-Split");
    assertThat(auditCount(tenant, "api.update")).isZero();
  }

  @Test
  void routes_follow_api_gateway_resource_rules() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    fx.route(tenant, apiId, integration, "GET", "/pets/{petId}");
    fx.route(tenant, apiId, integration, "ANY", "/{proxy+}");
    String routes = "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes";
    var siblingVariable =
        api.post(
            token,
            routes,
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/pets/{id}")
                .put("integrationId", integration));
    assertThat(siblingVariable.status()).isEqualTo(400);
    assertThat(siblingVariable.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/resourcePath");
    var greedyNotLast =
        api.post(
            token,
            routes,
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/{p+}/x")
                .put("integrationId", integration));
    assertThat(greedyNotLast.status()).isEqualTo(400);
    var duplicate =
        api.post(
            token,
            routes,
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/pets/{petId}")
                .put("integrationId", integration));
    assertThat(duplicate.status()).isEqualTo(409);
    var badMethod =
        api.post(
            token,
            routes,
            new JsonObject()
                .put("method", "FETCH")
                .put("resourcePath", "/a")
                .put("integrationId", integration));
    assertThat(badMethod.status()).isEqualTo(400);
    assertThat(api.get(token, routes).items()).hasSize(2);
  }

  @Test
  void an_integration_in_use_cannot_be_deleted() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    fx.route(tenant, apiId, integration, "GET", "/pets");
    var answer =
        api.delete(
            token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations/" + integration);
    assertThat(answer.status()).isEqualTo(409);
  }

  @Test
  void integrations_are_validated_by_type() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
    var noUri =
        api.post(token, path, new JsonObject().put("type", "http").put("httpMethod", "GET"));
    assertThat(noUri.status()).isEqualTo(400);
    assertThat(noUri.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/uri");
    var tooSlow =
        api.post(
            token,
            path,
            new JsonObject()
                .put("type", "http_proxy")
                .put("httpMethod", "GET")
                .put("uri", "https://x.example.com")
                .put("timeoutMillis", 30000));
    assertThat(tooSlow.status()).isEqualTo(400);
    var aws = api.post(token, path, new JsonObject().put("type", "aws_proxy"));
    assertThat(aws.status()).isEqualTo(400);
    var mock =
        api.post(
            token,
            path,
            new JsonObject()
                .put("type", "mock")
                .put("mock", new JsonObject().put("statusCode", 200).put("body", "{}")));
    assertThat(mock.status()).as(mock.toString()).isEqualTo(201);
    var stageVariableUri =
        api.post(
            token,
            path,
            new JsonObject()
                .put("type", "http")
                .put("httpMethod", "GET")
                .put("uri", "https://${stageVariables.host}/pets/{id}"));
    assertThat(stageVariableUri.status()).as(stageVariableUri.toString()).isEqualTo(201);
  }
}
