package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.MethodCacheSetting;
import dev.turnpike.contracts.config.StageCacheConfig.UnauthorizedCacheControl;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The management API: a stage's response cache, its settings and its flush. */
class ManagementApiStageCacheTest extends ManagementApiFeatureTest {
  StageCacheConfig published(String tenant, String apiId) {
    return DeploymentSnapshot.CODEC
        .decode(
            lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
                .value3())
        .cache();
  }

  @Test
  void cache_settings_reach_the_published_snapshot_and_a_flush_raises_its_generation() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    fx.deploy(tenant, apiId, stageId);
    assertThat(published(tenant, apiId).enabled()).isFalse();
    String cachePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/cache";

    var set =
        api.put(
            token,
            cachePath,
            new JsonObject()
                .put("cacheClusterEnabled", true)
                .put("cacheCapacityBytes", 8 * 1024 * 1024)
                .put("cacheTtlInSeconds", 60)
                .put(
                    "methodSettings",
                    new JsonObject()
                        .put("/pets/GET", new JsonObject().put("cacheTtlInSeconds", 10)))
                .put("unauthorizedCacheControlHeaderStrategy", "FAIL_WITH_403"));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    StageCacheConfig cache = published(tenant, apiId);
    assertThat(cache.enabled()).isTrue();
    assertThat(cache.capacityBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(cache.ttlSeconds()).isEqualTo(60);
    assertThat(cache.methods()).containsEntry("/pets/GET", new MethodCacheSetting(null, 10));
    assertThat(cache.shareAcrossKeys()).isFalse();
    assertThat(cache.requireAuthorizationForCacheControl()).isTrue();
    assertThat(cache.unauthorizedCacheControlHeaderStrategy())
        .isEqualTo(UnauthorizedCacheControl.FAIL_WITH_403);
    assertThat(cache.flushGeneration()).isZero();

    var flushed = api.delete(token, cachePath);
    assertThat(flushed.status()).as(flushed.toString()).isEqualTo(200);
    assertThat(published(tenant, apiId).flushGeneration()).isEqualTo(1);
    assertThat(published(tenant, apiId).ttlSeconds()).isEqualTo(60);
    assertThat(auditCount(tenant, "stage.cache.flush")).isEqualTo(1);

    // Settings survive a redeploy and a change of the stage's other settings, and so does the
    // flush generation.
    fx.deploy(tenant, apiId, stageId);
    var updated =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId,
            new JsonObject().put("description", "changed"));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(published(tenant, apiId).enabled()).isTrue();
    assertThat(published(tenant, apiId).flushGeneration()).isEqualTo(1);
    var read = api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId);
    assertThat(read.json().getJsonObject("cache").getLong("flushGeneration")).isEqualTo(1);
  }

  @Test
  void bad_cache_settings_are_refused_with_every_problem_and_change_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String cachePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/cache";

    var answer =
        api.put(
            token,
            cachePath,
            new JsonObject()
                .put("cacheClusterEnabled", true)
                .put("cacheCapacityBytes", 10)
                .put("cacheTtlInSeconds", 3601)
                .put(
                    "methodSettings",
                    new JsonObject()
                        .put("pets", new JsonObject().put("cachingEnabled", true))
                        .put("/pets/GET", new JsonObject().put("cacheTtlInSeconds", -1)))
                .put("unauthorizedCacheControlHeaderStrategy", "IGNORE"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(
            answer.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .contains(
            "/cacheCapacityBytes",
            "/cacheTtlInSeconds",
            "/methodSettings/pets",
            "/methodSettings/~1pets~1GET/cacheTtlInSeconds",
            "/unauthorizedCacheControlHeaderStrategy");
    var read = api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId);
    assertThat(read.json().getJsonObject("cache").getBoolean("enabled")).isFalse();
  }

  @Test
  void another_tenants_stage_cannot_be_flushed() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String stageId = fx.stage(tenant, apiId, "prod");
    String other = fx.tenant();

    var answer =
        api.delete(
            token, "/v1/tenants/" + other + "/apis/" + apiId + "/stages/" + stageId + "/cache");

    assertThat(answer.status()).isEqualTo(404);
  }
}
