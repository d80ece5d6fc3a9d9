package dev.turnpike.controlplane.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.testing.ApiClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OpenAPI with Lambda proxy integrations: an AWS export imports with a warning for each function
 * not registered yet, and exports back in API Gateway's shape, importing again the same.
 */
class FunctionOpenApiTest extends FunctionFeatureTest {
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
        .isEqualTo(new FunctionTarget("billing", "http://billing.example.com:9000", 10_000, "2.0"));
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
