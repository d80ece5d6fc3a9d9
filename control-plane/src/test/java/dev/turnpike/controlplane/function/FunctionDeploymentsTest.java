package dev.turnpike.controlplane.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.testing.ApiClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deployments of routes on aws_proxy integrations: refused with 422 naming each unregistered
 * function, or carrying the resolved target (alias, stage variable, timeout) in the record.
 */
class FunctionDeploymentsTest extends FunctionFeatureTest {
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
            "/functions/billing:live", "/functions/orders", "/functions/${stageVariables.missing}");
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
    assertThat(routes.get("GET /orders").integration().type()).isEqualTo(IntegrationType.AWS_PROXY);
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
        api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments/" + deploymentId)
            .json();
    assertThat(routes(stored)).isEqualTo(routes);
  }

  @Test
  void an_aws_integration_carries_its_resolved_function_and_its_templates_into_the_record() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    registered(tenant, "orders", ORDERS_URL, 5000);
    JsonObject aws =
        new JsonObject()
            .put("type", "aws")
            .put("function", "orders")
            .put(
                "requestTemplates",
                new JsonObject().put("application/json", "{\"id\": \"$input.params('id')\"}"))
            .put(
                "integrationResponses",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("selectionPattern", ".*not found.*")
                            .put("statusCode", 404))
                    .add(new JsonObject().put("statusCode", 200)));
    fx.route(tenant, apiId, integration(tenant, apiId, aws), "GET", "/orders/{id}");
    var refused =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
            aws.copy()
                .put("payloadFormatVersion", "2.0")
                .put(
                    "requestParameters",
                    new JsonObject().put("integration.request.header.x", "'y'")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(pointers(refused))
        .containsExactlyInAnyOrder("/payloadFormatVersion", "/requestParameters");
    String stageId = stage(tenant, apiId, "prod", new JsonObject());

    ApiClient.Answer answer = deploy(tenant, apiId, stageId);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    var integration = routes(answer.json()).get("GET /orders/{id}").integration();
    assertThat(integration.type()).isEqualTo(IntegrationType.AWS);
    assertThat(integration.httpMethod()).isEqualTo("POST");
    assertThat(integration.function())
        .isEqualTo(new FunctionTarget("orders", ORDERS_URL, 5000, "1.0"));
    assertThat(integration.requestTemplates()).containsOnlyKeys("application/json");
    assertThat(integration.responses()).hasSize(2);
  }
}
