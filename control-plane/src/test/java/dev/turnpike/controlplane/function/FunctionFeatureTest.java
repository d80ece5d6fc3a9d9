package dev.turnpike.controlplane.function;

import static dev.turnpike.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14's control plane on a real database, one test class per feature (the registry, aws_proxy
 * integrations by hand, deployments that resolve them or refuse, import and export), all on one
 * {@link FunctionWorld} with the fixtures they share.
 */
@ExtendWith({FunctionWorld.Extension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FunctionFeatureTest {
  static final String ORDERS_URL = "http://orders.example.com:9000";
  static final String REST_ARN =
      "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
          + "arn:aws:lambda:eu-west-1:123456789012:function:%s/invocations";

  FunctionWorld world;
  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  DSLContext app;
  String token;
  Fixture fx;

  @BeforeAll
  void join(FunctionWorld world) {
    this.world = world;
    cp = world.cp();
    api = cp.client();
    owner = world.db().ownerDsl();
    app = world.db().appDsl();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
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
}
