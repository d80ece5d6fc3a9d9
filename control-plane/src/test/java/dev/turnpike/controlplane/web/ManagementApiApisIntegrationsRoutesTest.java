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

  @Test
  void an_integrations_templates_and_responses_are_stored_in_api_gateways_names() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
    JsonObject sent =
        new JsonObject()
            .put("type", "http")
            .put("httpMethod", "POST")
            .put("uri", "https://backend.example.com/orders")
            .put(
                "requestTemplates",
                new JsonObject().put("application/json", "{\"id\": \"$input.path('$.id')\"}"))
            .put("passthroughBehavior", "WHEN_NO_TEMPLATES")
            .put("contentHandling", "CONVERT_TO_TEXT")
            .put(
                "integrationResponses",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("selectionPattern", "4\\d{2}")
                            .put("statusCode", 400)
                            .put(
                                "responseTemplates",
                                new JsonObject()
                                    .put("application/json", "{\"error\": $input.json('$')}")))
                    .add(
                        new JsonObject()
                            .put("statusCode", 200)
                            .put(
                                "responseParameters",
                                new JsonObject()
                                    .put(
                                        "method.response.header.x-order",
                                        "integration.response.header.x-id")
                                    .put("method.response.header.x-kind", "'order'"))));
    var created = api.post(token, path, sent);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);

    JsonObject read = api.get(token, path + "/" + created.json().getString("id")).json();
    assertThat(read.getJsonObject("requestTemplates"))
        .isEqualTo(sent.getJsonObject("requestTemplates"));
    assertThat(read.getString("passthroughBehavior")).isEqualTo("when_no_templates");
    assertThat(read.getString("contentHandling")).isEqualTo("CONVERT_TO_TEXT");
    JsonArray responses = read.getJsonArray("integrationResponses");
    assertThat(responses).hasSize(2);
    assertThat(responses.getJsonObject(0).getString("selectionPattern")).isEqualTo("4\\d{2}");
    assertThat(responses.getJsonObject(0).getInteger("statusCode")).isEqualTo(400);
    assertThat(responses.getJsonObject(1).getValue("selectionPattern")).as(read.encode()).isNull();
    assertThat(responses.getJsonObject(1).getJsonObject("responseParameters"))
        .isEqualTo(
            sent.getJsonArray("integrationResponses")
                .getJsonObject(1)
                .getJsonObject("responseParameters"));
  }

  @Test
  void a_template_that_does_not_parse_is_refused_with_its_line_and_column_and_nothing_changes() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
    var answer =
        api.post(
            token,
            path,
            new JsonObject()
                .put("type", "mock")
                .put(
                    "requestTemplates",
                    new JsonObject().put("application/json", "{\"statusCode\": 200}"))
                .put(
                    "integrationResponses",
                    new JsonArray()
                        .add(new JsonObject().put("selectionPattern", "5(").put("statusCode", 500))
                        .add(
                            new JsonObject()
                                .put("statusCode", 200)
                                .put(
                                    "responseParameters",
                                    new JsonObject()
                                        .put("method.response.header.x", "method.request.header.y"))
                                .put(
                                    "responseTemplates",
                                    new JsonObject()
                                        .put("application/json", "{\n  #if($x) \"a\"\n}")))
                        // A Java regex the gateway's linear-time engine cannot run (a
                        // backreference).
                        .add(
                            new JsonObject()
                                .put("selectionPattern", "(5)\\1.*")
                                .put("statusCode", 502))));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    JsonArray errors = answer.json().getJsonArray("errors");
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("pointer")))
        .containsExactlyInAnyOrder(
            "/integrationResponses/0/selectionPattern",
            "/integrationResponses/1/responseParameters/method.response.header.x",
            "/integrationResponses/1/responseTemplates/application~1json",
            "/integrationResponses/2/selectionPattern");
    assertThat(
            errors.stream()
                .map(e -> ((JsonObject) e).getString("message"))
                .filter(m -> m.contains("mapping template")))
        .singleElement()
        .satisfies(m -> assertThat(m).containsPattern("at line \\d+, column \\d+"));
    assertThat(api.get(token, path).items()).isEmpty();
    assertThat(auditCount(tenant, "integration.create")).isZero();
  }

  @Test
  void gateway_responses_keep_templates_and_parameter_mappings_and_refuse_bad_ones() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject throttled =
        new JsonObject()
            .put("statusCode", 429)
            .put(
                "responseParameters",
                new JsonObject()
                    .put("gatewayresponse.header.x-request", "context.requestId")
                    .put("gatewayresponse.header.x-origin", "method.request.header.origin"))
            .put(
                "responseTemplates",
                new JsonObject()
                    .put("application/json", "{\"message\": $context.error.messageString}"));
    var updated =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId,
            new JsonObject()
                .put("name", "Pets")
                .put("gatewayResponses", new JsonObject().put("THROTTLED", throttled)));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    JsonObject read =
        api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId)
            .json()
            .getJsonObject("gatewayResponses")
            .getJsonObject("THROTTLED");
    assertThat(read.getJsonObject("responseParameters"))
        .isEqualTo(throttled.getJsonObject("responseParameters"));
    assertThat(read.getJsonObject("responseTemplates"))
        .isEqualTo(throttled.getJsonObject("responseTemplates"));

    var refused =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId,
            new JsonObject()
                .put("name", "Pets")
                .put(
                    "gatewayResponses",
                    new JsonObject()
                        .put(
                            "THROTTLED",
                            new JsonObject()
                                .put(
                                    "responseParameters",
                                    new JsonObject()
                                        .put("gatewayresponse.header.x", "context.stageName"))
                                .put(
                                    "responseTemplates",
                                    new JsonObject().put("application/json", "#end")))));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(
            refused.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .containsExactlyInAnyOrder(
            "/gatewayResponses/THROTTLED/responseParameters/gatewayresponse.header.x",
            "/gatewayResponses/THROTTLED/responseTemplates/application~1json");
    assertThat(auditCount(tenant, "api.update")).isEqualTo(1);
  }
}
