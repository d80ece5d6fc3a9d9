package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.UnauthorizedCacheControl;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: a stage's response cache and its flush button. */
class ConsoleStageCacheTest extends ConsoleFeatureTest {
  String[] deployedStage() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String stageId = fixture.stage(tenantId, apiId, "prod");
    fixture.deploy(tenantId, apiId, stageId);
    return new String[] {apiId, stageId};
  }

  StageCacheConfig published(String apiId) {
    return DeploymentSnapshot.CODEC
        .decode(lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")))
        .cache();
  }

  Map<String, String> cacheForm(String ttl) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("cache.shown", "1");
    form.put("cache.enabled", "on");
    form.put("cache.capacity", "2097152");
    form.put("cache.ttl", ttl);
    form.put("cache.requireAuth", "on");
    form.put("cache.strategy", "FAIL_WITH_403");
    return form;
  }

  @Test
  void the_stage_page_turns_the_cache_on_and_its_button_flushes_it() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    assertThat(owner.page(stagePath).body()).contains("Response cache").doesNotContain("Flush");

    HttpResponse<String> saved = owner.post(stagePath, cacheForm("120"));

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    StageCacheConfig cache = published(ids[0]);
    assertThat(cache.enabled()).isTrue();
    assertThat(cache.capacityBytes()).isEqualTo(2_097_152);
    assertThat(cache.ttlSeconds()).isEqualTo(120);
    assertThat(cache.unauthorizedCacheControlHeaderStrategy())
        .isEqualTo(UnauthorizedCacheControl.FAIL_WITH_403);
    String page = owner.page(stagePath).body();
    assertThat(page)
        .containsPattern("name=\"cache.ttl\"[^>]*value=\"120\"")
        .contains("<option value=\"FAIL_WITH_403\" selected=\"selected\">")
        .contains("Flush cache");

    HttpResponse<String> flushed = owner.post(stagePath + "/cache/flush", Map.of());

    assertThat(flushed.statusCode()).isEqualTo(303);
    assertThat(published(ids[0]).flushGeneration()).isEqualTo(1);
    assertThat(published(ids[0]).ttlSeconds()).isEqualTo(120);
  }

  @Test
  void a_ttl_out_of_range_is_explained_beside_its_field_and_changes_nothing() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    JsonObject before = api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json();

    HttpResponse<String> refused = owner.post(stagePath, cacheForm("3601"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern("name=\"cache.ttl\"[^>]*value=\"3601\"[^>]*>\\s*<p class=\"error\">");
    assertThat(api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json())
        .isEqualTo(before);
  }

  @Test
  void a_flush_without_the_forms_csrf_token_is_refused() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    owner.post(stagePath, cacheForm("60"));

    HttpResponse<String> forged = owner.postEncoded(stagePath + "/cache/flush", "");

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(published(ids[0]).flushGeneration()).isZero();
  }

  @Test
  void per_method_overrides_are_set_in_rows_and_published_to_the_gateway() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    assertThat(owner.page(stagePath).body())
        .contains("Per-method caching")
        .contains("<option value=\"/pets/GET\">GET /pets</option>")
        .contains("Every method (*/*)");
    Map<String, String> form = cacheForm("300");
    form.put("mc.0.key", "/pets/GET");
    form.put("mc.0.caching", "on");
    form.put("mc.0.ttl", "30");
    form.put("mc.1.key", "*/*");
    form.put("mc.1.caching", "off");
    form.put("mc.1.ttl", "");

    HttpResponse<String> saved = owner.post(stagePath, form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(published(ids[0]).methods())
        .isEqualTo(
            Map.of(
                "/pets/GET", new StageCacheConfig.MethodCacheSetting(true, 30),
                "*/*", new StageCacheConfig.MethodCacheSetting(false, null)));
    String page = owner.page(stagePath).body();
    assertThat(page)
        .containsPattern(
            "name=\"mc.0.key\"[^>]*>\\s*<option value=\"\">[^<]*</option>\\s*"
                + "<option value=\"\\*/\\*\" selected")
        .containsPattern("name=\"mc.1.ttl\"[^>]*value=\"30\"");

    // A form without the rows (an older page) keeps the overrides; a removed row is deleted.
    assertThat(owner.post(stagePath, cacheForm("200")).statusCode()).isEqualTo(303);
    assertThat(published(ids[0]).methods()).hasSize(2);
    Map<String, String> removing = cacheForm("200");
    removing.put("mc.0.key", "/pets/GET");
    removing.put("mc.0.caching", "on");
    removing.put("mc.0.ttl", "30");
    removing.put("mc.0.remove", "on");
    assertThat(owner.post(stagePath, removing).statusCode()).isEqualTo(303);
    assertThat(published(ids[0]).methods()).isEmpty();
  }

  @Test
  void a_method_ttl_out_of_range_is_explained_beside_its_row_and_changes_nothing() {
    String[] ids = deployedStage();
    String stagePath = tenantPath + "apis/" + ids[0] + "/stages/" + ids[1];
    owner.post(stagePath, cacheForm("60"));
    JsonObject before = api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json();
    Map<String, String> form = cacheForm("60");
    form.put("mc.0.key", "/pets/GET");
    form.put("mc.0.caching", "on");
    form.put("mc.0.ttl", "7200");

    HttpResponse<String> refused = owner.post(stagePath, form);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern("name=\"mc.0.ttl\"[^>]*value=\"7200\"[^>]*>\\s*<p class=\"error\">");
    assertThat(api().get(apiToken, v1("/apis/" + ids[0] + "/stages/" + ids[1])).json())
        .isEqualTo(before);
  }

  @Test
  void an_integrations_cache_key_parameters_are_edited_on_its_page() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    String stored = v1("/apis/" + apiId + "/integrations/" + integrationId);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "http_proxy");
    form.put("httpMethod", "ANY");
    form.put("uri", "https://backend.example.com/{proxy}");
    form.put("timeoutMillis", "5000");
    form.put(
        "cacheKeyParameters",
        "method.request.querystring.page\r\n\r\nmethod.request.header.Accept\r\n");

    HttpResponse<String> saved = owner.post(path, form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    assertThat(api().get(apiToken, stored).json().getJsonArray("cacheKeyParameters"))
        .containsExactly("method.request.querystring.page", "method.request.header.Accept");
    assertThat(owner.page(path).body())
        .contains("method.request.querystring.page\nmethod.request.header.Accept</textarea>");

    form.put("cacheKeyParameters", "method.request.querystring.page\nmethod.request.body.id");
    HttpResponse<String> refused = owner.post(path, form);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains(
            "<p class=\"error\">parameter 2: must be method.request.path.NAME,"
                + " method.request.querystring.NAME or method.request.header.NAME</p>");
    assertThat(api().get(apiToken, stored).json().getJsonArray("cacheKeyParameters")).hasSize(2);

    // A form from before the field existed keeps them; a blank field clears them.
    form.remove("cacheKeyParameters");
    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
    assertThat(api().get(apiToken, stored).json().getJsonArray("cacheKeyParameters")).hasSize(2);
    form.put("cacheKeyParameters", "");
    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
    // The API leaves an empty list out.
    assertThat(
            api()
                .get(apiToken, stored)
                .json()
                .getJsonArray("cacheKeyParameters", new io.vertx.core.json.JsonArray()))
        .isEmpty();
  }
}
