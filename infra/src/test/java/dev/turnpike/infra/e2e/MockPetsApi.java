package dev.turnpike.infra.e2e;

import dev.turnpike.controlplane.testing.Fixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A tenant of its own selling one API through the management API: {@code GET /pets} on a mock
 * integration, API key required, stage {@code prod} (created, not deployed yet), a plan on that
 * stage and an app subscribed to it. Tests add keys and deploy when they are ready to watch.
 *
 * @param tenantSlug the first path segment at the gateway
 * @param integrationId the mock integration, for routes a test adds
 */
public record MockPetsApi(
    String tenant,
    String tenantSlug,
    String apiId,
    String integrationId,
    String stageId,
    String planId,
    String appId) {

  /**
   * @param plan the plan's own settings (name, quota, ...); its stage binding is added here
   */
  public static MockPetsApi publish(Fixture fixture, String slugPrefix, JsonObject plan) {
    String slug = slugPrefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    String tenant =
        fixture
            .created("/v1/tenants", new JsonObject().put("slug", slug).put("name", slug))
            .getString("id");
    String base = "/v1/tenants/" + tenant;
    String apiId =
        fixture
            .created(base + "/apis", new JsonObject().put("slug", "pets").put("name", "Pets"))
            .getString("id");
    String apiBase = base + "/apis/" + apiId;
    String mock =
        fixture
            .created(
                apiBase + "/integrations",
                new JsonObject()
                    .put("type", "mock")
                    .put(
                        "mock",
                        new JsonObject().put("statusCode", 200).put("body", "{\"pets\":[]}")))
            .getString("id");
    fixture.created(
        apiBase + "/routes",
        new JsonObject()
            .put("method", "GET")
            .put("resourcePath", "/pets")
            .put("apiKeyRequired", true)
            .put("integrationId", mock));
    String stageId = fixture.stage(tenant, apiId, "prod");
    String planId =
        fixture
            .created(
                base + "/usage-plans",
                plan.copy()
                    .put(
                        "apiStages",
                        new JsonArray()
                            .add(new JsonObject().put("apiId", apiId).put("stage", "prod"))))
            .getString("id");
    String appId = fixture.app(tenant);
    fixture.subscribe(tenant, appId, planId);
    return new MockPetsApi(tenant, slug, apiId, mock, stageId, planId, appId);
  }

  /** The route's path at the gateway, path style. */
  public String petsPath() {
    return "/" + tenantSlug + "/pets/prod/pets";
  }

  public void deploy(Fixture fixture) {
    fixture.deploy(tenant, apiId, stageId);
  }
}
