package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * An API's CORS configuration through the management API: stored and shown as {@code
 * corsConfiguration}, refused with a 400 that changes nothing when it breaks a rule, and frozen
 * into what a deployment publishes to the gateways.
 */
class ManagementApiCorsTest extends ManagementApiFeatureTest {
  static JsonObject cors() {
    return new JsonObject()
        .put(
            "allowOrigins",
            new JsonArray().add("HTTPS://App.Example.com").add("http://localhost:3000"))
        .put("allowMethods", new JsonArray().add("get").add("POST"))
        .put("allowHeaders", new JsonArray().add("content-type").add("x-api-key"))
        .put("exposeHeaders", new JsonArray().add("x-total-count"))
        .put("maxAge", 600)
        .put("allowCredentials", true);
  }

  String path(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId;
  }

  @Test
  void is_stored_shown_in_canonical_form_and_removed_by_a_put_without_it() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    var put =
        api.put(
            token,
            path(tenant, apiId),
            new JsonObject().put("name", "Pets").put("corsConfiguration", cors()));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);

    JsonObject shown =
        api.get(token, path(tenant, apiId)).json().getJsonObject("corsConfiguration");
    assertThat(shown.getJsonArray("allowOrigins"))
        .containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(shown.getJsonArray("allowMethods")).containsExactly("GET", "POST");
    assertThat(shown.getInteger("maxAge")).isEqualTo(600);
    assertThat(shown.getBoolean("allowCredentials")).isTrue();

    var cleared = api.put(token, path(tenant, apiId), new JsonObject().put("name", "Pets"));
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(api.get(token, path(tenant, apiId)).json().getValue("corsConfiguration")).isNull();
  }

  @Test
  void is_accepted_when_an_api_is_created() {
    String tenant = fx.tenant();
    var created =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis",
            new JsonObject()
                .put("slug", "shop")
                .put("name", "Shop")
                .put("corsConfiguration", cors()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().getJsonObject("corsConfiguration").getJsonArray("exposeHeaders"))
        .containsExactly("x-total-count");
  }

  @Test
  void credentials_with_the_wildcard_origin_are_refused_with_a_clear_400_that_changes_nothing() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    assertThat(
            api.put(
                    token,
                    path(tenant, apiId),
                    new JsonObject().put("name", "Pets").put("corsConfiguration", cors()))
                .status())
        .isEqualTo(200);
    int updates = auditCount(tenant, "api.update");
    var answer =
        api.put(
            token,
            path(tenant, apiId),
            new JsonObject()
                .put("name", "Renamed")
                .put(
                    "corsConfiguration",
                    new JsonObject()
                        .put("allowOrigins", new JsonArray().add("*"))
                        .put("allowCredentials", true)));
    assertThat(answer.status()).isEqualTo(400);
    JsonObject error = answer.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("pointer")).isEqualTo("/corsConfiguration/allowCredentials");
    assertThat(error.getString("message")).contains("Fetch standard");
    JsonObject after = api.get(token, path(tenant, apiId)).json();
    assertThat(after.getString("name")).isEqualTo("Pets");
    assertThat(after.getJsonObject("corsConfiguration").getJsonArray("allowOrigins"))
        .containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(auditCount(tenant, "api.update")).isEqualTo(updates);
  }

  @Test
  void every_bad_part_is_named_by_its_pointer() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    var answer =
        api.put(
            token,
            path(tenant, apiId),
            new JsonObject()
                .put("name", "Pets")
                .put(
                    "corsConfiguration",
                    new JsonObject()
                        .put(
                            "allowOrigins",
                            new JsonArray()
                                .add("https://ok.example")
                                .add("https://app.example.com/path")
                                .add("javascript:alert(1)")
                                .add("https://a.example\r\nSet-Cookie: x=1"))
                        .put("allowMethods", new JsonArray().add("GET").add("TRACE"))
                        .put("allowHeaders", new JsonArray().add("x-ok").add("bad header"))
                        .put("exposeHeaders", new JsonArray().add("x\r\nInjected: 1"))
                        .put("maxAge", 86_401)));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(
            answer.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("pointer")))
        .containsExactlyInAnyOrder(
            "/corsConfiguration/allowOrigins/1",
            "/corsConfiguration/allowOrigins/2",
            "/corsConfiguration/allowOrigins/3",
            "/corsConfiguration/allowMethods/1",
            "/corsConfiguration/allowHeaders/1",
            "/corsConfiguration/exposeHeaders/0",
            "/corsConfiguration/maxAge");
    assertThat(api.get(token, path(tenant, apiId)).json().getValue("corsConfiguration")).isNull();
  }

  @Test
  void a_deployment_freezes_it_into_the_published_snapshot() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String integration = fx.integration(tenant, apiId);
    fx.route(tenant, apiId, integration, "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    assertThat(
            api.put(
                    token,
                    path(tenant, apiId),
                    new JsonObject().put("name", "Pets").put("corsConfiguration", cors()))
                .status())
        .isEqualTo(200);
    fx.deploy(tenant, apiId, stageId);
    String key = Topics.deploymentKey(tenant, apiId, "prod");
    DeploymentSnapshot snapshot =
        DeploymentSnapshot.CODEC.decode(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3());
    CorsConfiguration frozen = snapshot.edge().cors();
    assertThat(frozen).isNotNull();
    assertThat(frozen.allowOrigins())
        .containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(frozen.maxAgeSeconds()).isEqualTo(600);
    assertThat(frozen.allowCredentials()).isTrue();
    assertThat(snapshot.edge().sourceIpPolicy()).isNull();
    assertThat(snapshot.edge().compression()).isNull();

    // A later change reaches the gateways only with the next deployment, as in API Gateway.
    api.put(token, path(tenant, apiId), new JsonObject().put("name", "Pets"));
    DeploymentSnapshot still =
        DeploymentSnapshot.CODEC.decode(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3());
    assertThat(still.edge().cors()).isEqualTo(frozen);
    fx.deploy(tenant, apiId, stageId);
    DeploymentSnapshot redeployed =
        DeploymentSnapshot.CODEC.decode(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3());
    assertThat(redeployed.edge().cors()).isNull();
  }

  @Test
  void x_amazon_apigateway_cors_is_imported_and_exported_for_the_draft_and_the_stage() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String document =
        """
        {"openapi": "3.0.1", "info": {"title": "Pets", "version": "1"},
         "paths": {"/pets": {"get": {"x-amazon-apigateway-integration":
           {"type": "http_proxy", "httpMethod": "GET", "uri": "https://backend.example.com/pets"}}}},
         "x-amazon-apigateway-cors": {"allowOrigins": ["https://app.example.com"],
           "allowMethods": ["GET"], "exposeHeaders": ["x-total"], "maxAge": 300,
           "allowCredentials": true}}
        """;
    var imported =
        api.send("POST", token, path(tenant, apiId) + "/openapi", document, "application/json");
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    JsonObject shown =
        api.get(token, path(tenant, apiId)).json().getJsonObject("corsConfiguration");
    assertThat(shown.getJsonArray("allowOrigins")).containsExactly("https://app.example.com");
    assertThat(shown.getInteger("maxAge")).isEqualTo(300);

    JsonObject draft =
        api.get(token, path(tenant, apiId) + "/openapi")
            .json()
            .getJsonObject("x-amazon-apigateway-cors");
    assertThat(draft).isEqualTo(new JsonObject(document).getJsonObject("x-amazon-apigateway-cors"));

    fx.deploy(tenant, apiId, fx.stage(tenant, apiId, "prod"));
    JsonObject deployed =
        api.get(token, path(tenant, apiId) + "/openapi?stage=prod")
            .json()
            .getJsonObject("x-amazon-apigateway-cors");
    assertThat(deployed).isEqualTo(draft);

    var refused =
        api.send(
            "POST",
            token,
            path(tenant, apiId) + "/openapi",
            document.replace("https://app.example.com", "*"),
            "application/json");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("/x-amazon-apigateway-cors/allowCredentials");
    assertThat(api.get(token, path(tenant, apiId)).json().getJsonObject("corsConfiguration"))
        .isEqualTo(shown);
  }

  @Test
  void a_merge_import_without_it_keeps_it_and_an_overwrite_removes_it() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    api.put(
        token,
        path(tenant, apiId),
        new JsonObject().put("name", "Pets").put("corsConfiguration", cors()));
    String document =
        """
        {"openapi": "3.0.1", "info": {"title": "Pets", "version": "1"},
         "paths": {"/ping": {"get": {"x-amazon-apigateway-integration":
           {"type": "http_proxy", "httpMethod": "GET", "uri": "https://backend.example.com/ping"}}}}}
        """;
    String openapi = path(tenant, apiId) + "/openapi";
    assertThat(
            api.send("POST", token, openapi + "?mode=merge", document, "application/json").status())
        .isEqualTo(200);
    assertThat(api.get(token, path(tenant, apiId)).json().getJsonObject("corsConfiguration"))
        .isNotNull();
    assertThat(api.send("POST", token, openapi, document, "application/json").status())
        .isEqualTo(200);
    assertThat(api.get(token, path(tenant, apiId)).json().getValue("corsConfiguration")).isNull();
  }
}
