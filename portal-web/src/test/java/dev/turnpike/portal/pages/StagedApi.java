package dev.turnpike.portal.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.portal.testing.PublishedApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A published Weather API whose two stages serve different deployments: {@code prod} serves {@code
 * GET /forecast}; {@code beta} also serves {@code GET /alerts}, deployed to it alone; and the owner
 * has since added {@link #UNDEPLOYED}, deployed nowhere.
 */
record StagedApi(String slug) {
  static final String UNDEPLOYED = "/unreleased-radar";

  static StagedApi create(ApiClient api, String owner) {
    PublishedApi published = PublishedApi.create(api, owner);
    String base = "/v1/tenants/" + published.tenantId();
    String apiId = api.get(owner, base + "/apis").items().getJsonObject(0).getString("id");
    String routes = base + "/apis/" + apiId + "/routes";
    String integration = api.get(owner, routes).items().getJsonObject(0).getString("integrationId");
    Fixture f = new Fixture(api, owner);
    String beta = f.stage(published.tenantId(), apiId, "beta");
    f.route(published.tenantId(), apiId, integration, "GET", "/alerts");
    f.deploy(published.tenantId(), apiId, beta);
    f.route(published.tenantId(), apiId, integration, "GET", UNDEPLOYED);
    ApiClient.Answer plan =
        api.post(
            owner,
            base + "/usage-plans",
            new JsonObject()
                .put("name", "Beta testers")
                .put("quota", new JsonObject().put("limit", 100).put("period", "DAY"))
                .put(
                    "apiStages",
                    new JsonArray()
                        .add(new JsonObject().put("apiId", apiId).put("stage", "beta"))));
    assertThat(plan.status()).as(plan.toString()).isEqualTo(201);
    return new StagedApi(published.slug());
  }
}
