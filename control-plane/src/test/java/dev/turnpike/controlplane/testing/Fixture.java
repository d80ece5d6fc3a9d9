package dev.turnpike.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Creates resources through the API and checks each step succeeded. */
public final class Fixture {
  private final ApiClient api;
  private final String token;

  public Fixture(ApiClient api, String token) {
    this.api = api;
    this.token = token;
  }

  public JsonObject created(String path, JsonObject body) {
    ApiClient.Answer answer = api.post(token, path, body);
    assertThat(answer.status()).as("POST %s -> %s", path, answer).isEqualTo(201);
    return answer.json();
  }

  public String tenant() {
    String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
    return created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "Tenant " + slug))
        .getString("id");
  }

  public String api(String tenant) {
    String slug = "api-" + UUID.randomUUID().toString().substring(0, 8);
    return created(
            "/v1/tenants/" + tenant + "/apis",
            new JsonObject().put("slug", slug).put("name", "Pets"))
        .getString("id");
  }

  public String integration(String tenant, String apiId) {
    return created(
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
            new JsonObject()
                .put("type", "http_proxy")
                .put("httpMethod", "ANY")
                .put("uri", "https://backend.example.com/{proxy}")
                .put("timeoutMillis", 5000))
        .getString("id");
  }

  public String route(
      String tenant, String apiId, String integrationId, String method, String path) {
    return created(
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes",
            new JsonObject()
                .put("method", method)
                .put("resourcePath", path)
                .put("apiKeyRequired", true)
                .put("integrationId", integrationId))
        .getString("id");
  }

  public String stage(String tenant, String apiId, String name) {
    return created(
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages",
            new JsonObject()
                .put("name", name)
                .put("variables", new JsonObject().put("host", "b.example.com")))
        .getString("id");
  }

  public JsonObject deploy(String tenant, String apiId, String stageId) {
    return created(
        "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments",
        new JsonObject().put("stageId", stageId).put("description", "release"));
  }

  public String plan(String tenant, String apiId, String stage) {
    return created(
            "/v1/tenants/" + tenant + "/usage-plans",
            new JsonObject()
                .put("name", "Gold " + UUID.randomUUID())
                .put("throttle", new JsonObject().put("rateLimit", 10).put("burstLimit", 20))
                .put("quota", new JsonObject().put("limit", 1000).put("period", "MONTH"))
                .put(
                    "apiStages",
                    new JsonArray().add(new JsonObject().put("apiId", apiId).put("stage", stage))))
        .getString("id");
  }

  public String app(String tenant) {
    return created("/v1/tenants/" + tenant + "/apps", new JsonObject().put("name", "Mobile app"))
        .getString("id");
  }

  public String subscribe(String tenant, String appId, String planId) {
    return created(
            "/v1/tenants/" + tenant + "/apps/" + appId + "/subscriptions",
            new JsonObject().put("planId", planId))
        .getString("id");
  }

  public JsonObject key(String tenant, String appId) {
    return created(
        "/v1/tenants/" + tenant + "/apps/" + appId + "/keys", new JsonObject().put("name", "ci"));
  }
}
