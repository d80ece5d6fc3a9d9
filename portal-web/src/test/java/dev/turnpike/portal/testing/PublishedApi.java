package dev.turnpike.portal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What an owner sets up before developers arrive, through the management API: a branded tenant with
 * a Weather API (a mock integration, so no backend is needed) deployed to {@code prod}, a free plan
 * with a daily quota, a paid flat-fee plan ("Pro") and a paid plan that needs the owner's approval
 * ("Partner").
 */
public record PublishedApi(
    String tenantId,
    String slug,
    String apiSlug,
    String freePlan,
    String paidPlan,
    String approvalPlan) {

  public static PublishedApi create(ApiClient api, String ownerToken) {
    Fixture f = new Fixture(api, ownerToken);
    String slug = "acme-" + UUID.randomUUID().toString().substring(0, 6);
    String tenant =
        f.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "Acme Weather"))
            .getString("id");
    String base = "/v1/tenants/" + tenant;
    ApiClient.Answer branded =
        api.put(
            ownerToken,
            base + "/portal/branding",
            new JsonObject()
                .put("displayName", "Acme Developers")
                .put("primaryColor", "#0b6e4f")
                .put("accentColor", "#f2a541"));
    assertThat(branded.status()).as(branded.toString()).isEqualTo(200);
    String apiId =
        f.created(
                base + "/apis",
                new JsonObject()
                    .put("slug", "weather")
                    .put("name", "Weather")
                    .put("description", "Forecasts for any city, by the hour"))
            .getString("id");
    String mock =
        f.created(
                base + "/apis/" + apiId + "/integrations",
                new JsonObject()
                    .put("type", "mock")
                    .put(
                        "mock",
                        new JsonObject()
                            .put("statusCode", 200)
                            .put("body", "{\"city\":\"Lisbon\",\"forecast\":\"sunny\"}")))
            .getString("id");
    f.created(
        base + "/apis/" + apiId + "/routes",
        new JsonObject()
            .put("method", "GET")
            .put("resourcePath", "/forecast")
            .put("apiKeyRequired", true)
            .put("integrationId", mock));
    String stage = f.stage(tenant, apiId, "prod");
    f.deploy(tenant, apiId, stage);
    JsonArray stages =
        new JsonArray().add(new JsonObject().put("apiId", apiId).put("stage", "prod"));
    String free =
        f.created(
                base + "/usage-plans",
                new JsonObject()
                    .put("name", "Free")
                    .put("description", "For trying things out")
                    .put("quota", new JsonObject().put("limit", 1000).put("period", "DAY"))
                    .put("throttle", new JsonObject().put("rateLimit", 10).put("burstLimit", 20))
                    .put("apiStages", stages))
            .getString("id");
    String paid =
        f.created(
                base + "/usage-plans",
                new JsonObject()
                    .put("name", "Pro")
                    .put("description", "For production traffic")
                    .put("quota", new JsonObject().put("limit", 1000000).put("period", "MONTH"))
                    .put(
                        "pricing",
                        new JsonObject()
                            .put("model", "flat")
                            .put("currency", "usd")
                            .put("flatFeeCents", 4900))
                    .put("apiStages", stages))
            .getString("id");
    String partner =
        f.created(
                base + "/usage-plans",
                new JsonObject()
                    .put("name", "Partner")
                    .put("description", "For resellers, by agreement")
                    .put("requiresApproval", true)
                    .put(
                        "pricing",
                        new JsonObject()
                            .put("model", "flat")
                            .put("currency", "usd")
                            .put("flatFeeCents", 19900))
                    .put("apiStages", stages))
            .getString("id");
    return new PublishedApi(tenant, slug, "weather", free, paid, partner);
  }
}
