package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The management API's test invocation: what an integration's mapping templates make of a sample
 * request, without a backend (on the control plane shared by every {@link
 * ManagementApiFeatureTest}).
 */
class ManagementApiTestInvocationTest extends ManagementApiFeatureTest {
  private String integrations(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
  }

  private String create(String path, JsonObject integration) {
    var created = api.post(token, path, integration);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return path + "/" + created.json().getString("id") + "/test-invocation";
  }

  private JsonObject http(String passthrough) {
    JsonObject integration =
        new JsonObject()
            .put("type", "http")
            .put("httpMethod", "POST")
            .put("uri", "https://backend.example.com/orders")
            .put(
                "requestTemplates",
                new JsonObject()
                    .put(
                        "application/json",
                        "{\"id\": \"$input.path('$.id')\", \"q\": \"$input.params('q')\","
                            + " \"env\": \"$stageVariables.env\"}"));
    return passthrough == null ? integration : integration.put("passthroughBehavior", passthrough);
  }

  @Test
  void
      the_request_template_for_the_content_type_renders_and_the_pretended_status_picks_the_response() {
    String tenant = fx.tenant();
    String path = integrations(tenant, fx.api(tenant));
    String test =
        create(
            path,
            http(null)
                .put(
                    "integrationResponses",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("selectionPattern", "4\\d{2}")
                                .put("statusCode", 400)
                                .put(
                                    "responseParameters",
                                    new JsonObject()
                                        .put(
                                            "method.response.header.x-order",
                                            "integration.response.header.x-id")
                                        .put(
                                            "method.response.header.x-code",
                                            "integration.response.body.error.code")
                                        .put("method.response.header.x-kind", "'order'"))
                                .put(
                                    "responseTemplates",
                                    new JsonObject()
                                        .put(
                                            "application/json",
                                            "{\"problem\": \"$input.path('$.error.code')\"}")))
                        .add(new JsonObject().put("statusCode", 200))));

    var answer =
        api.post(
            token,
            test,
            new JsonObject()
                .put("method", "POST")
                .put("path", "/orders")
                .put("query", new JsonObject().put("q", "fast"))
                .put(
                    "headers",
                    new JsonObject().put("Content-Type", "application/json; charset=utf-8"))
                .put("body", "{\"id\": \"7\"}")
                .put("stageVariables", new JsonObject().put("env", "prod"))
                .put("status", 404)
                .put("backendHeaders", new JsonObject().put("X-Id", "o-7"))
                .put("backendBody", "{\"error\": {\"code\": \"gone\"}}"));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    JsonObject request = answer.json().getJsonObject("request");
    assertThat(request.getString("decision")).isEqualTo("template");
    assertThat(request.getString("template")).isEqualTo("application/json");
    assertThat(request.getString("output"))
        .isEqualTo("{\"id\": \"7\", \"q\": \"fast\", \"env\": \"prod\"}");
    JsonObject response = answer.json().getJsonObject("response");
    assertThat(response.getString("backendStatus")).isEqualTo("404");
    assertThat(response.getInteger("selected")).isZero();
    assertThat(response.getInteger("statusCode")).isEqualTo(400);
    assertThat(response.getString("body")).isEqualTo("{\"problem\": \"gone\"}");
    assertThat(response.getJsonObject("headers"))
        .isEqualTo(
            new JsonObject()
                .put("x-order", "o-7")
                .put("x-code", "gone")
                .put("x-kind", "order")
                .put("Content-Type", "application/json"));

    var ok = api.post(token, test, new JsonObject().put("body", "{\"id\": \"8\"}"));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    // No Content-Type reads as application/json; the default response answers 200.
    assertThat(ok.json().getJsonObject("request").getString("output")).contains("\"id\": \"8\"");
    assertThat(ok.json().getJsonObject("response").getInteger("selected")).isEqualTo(1);
    assertThat(ok.json().getJsonObject("response").getInteger("statusCode")).isEqualTo(200);
  }

  @Test
  void a_body_without_a_template_passes_or_is_refused_with_415_as_its_passthrough_behaviour_says() {
    String tenant = fx.tenant();
    String path = integrations(tenant, fx.api(tenant));
    JsonObject xml =
        new JsonObject()
            .put("headers", new JsonObject().put("content-type", "application/xml"))
            .put("body", "<a/>");

    var whenNoMatch = api.post(token, create(path, http(null)), xml);
    assertThat(whenNoMatch.json().getJsonObject("request").getString("decision"))
        .isEqualTo("passthrough");
    assertThat(whenNoMatch.json().getJsonObject("request").getString("output")).isEqualTo("<a/>");
    assertThat(whenNoMatch.json().getJsonObject("response").getBoolean("passthrough")).isTrue();

    for (String refusing : new String[] {"when_no_templates", "never"}) {
      var refused = api.post(token, create(path, http(refusing)), xml);
      assertThat(refused.status()).as(refused.toString()).isEqualTo(200);
      JsonObject request = refused.json().getJsonObject("request");
      assertThat(request.getString("decision")).as(refusing).isEqualTo("unsupported");
      assertThat(request.getInteger("status")).isEqualTo(415);
      assertThat(refused.json().containsKey("response")).isFalse();
    }

    JsonObject noTemplates =
        new JsonObject()
            .put("type", "http")
            .put("httpMethod", "GET")
            .put("uri", "https://backend.example.com/")
            .put("passthroughBehavior", "when_no_templates");
    var passes = api.post(token, create(path, noTemplates), xml);
    assertThat(passes.json().getJsonObject("request").getString("decision"))
        .isEqualTo("passthrough");
  }

  @Test
  void a_mocks_request_template_status_code_selects_its_integration_response() {
    String tenant = fx.tenant();
    String path = integrations(tenant, fx.api(tenant));
    String test =
        create(
            path,
            new JsonObject()
                .put("type", "mock")
                .put(
                    "requestTemplates",
                    new JsonObject()
                        .put(
                            "application/json",
                            "#if($input.params('fail') == 'yes'){\"statusCode\": 503}"
                                + "#else{\"statusCode\": 200}#end"))
                .put(
                    "integrationResponses",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("selectionPattern", "5\\d{2}")
                                .put("statusCode", 503)
                                .put(
                                    "responseTemplates",
                                    new JsonObject().put("application/json", "{\"down\": true}")))
                        .add(new JsonObject().put("statusCode", 200))));

    var failing =
        api.post(token, test, new JsonObject().put("query", new JsonObject().put("fail", "yes")));
    assertThat(failing.status()).as(failing.toString()).isEqualTo(200);
    JsonObject response = failing.json().getJsonObject("response");
    assertThat(response.getString("backendStatus")).isEqualTo("503");
    assertThat(response.getInteger("statusCode")).isEqualTo(503);
    assertThat(response.getString("body")).isEqualTo("{\"down\": true}");

    var fine = api.post(token, test, new JsonObject());
    assertThat(fine.json().getJsonObject("response").getInteger("selected")).isEqualTo(1);
  }

  @Test
  void a_template_past_its_budget_fails_as_a_value_and_the_call_answers_in_time() {
    String tenant = fx.tenant();
    String path = integrations(tenant, fx.api(tenant));
    String test =
        create(
            path,
            new JsonObject()
                .put("type", "http")
                .put("httpMethod", "GET")
                .put("uri", "https://backend.example.com/")
                .put(
                    "requestTemplates",
                    new JsonObject()
                        .put(
                            "application/json",
                            "#foreach($i in [1..100000000])#foreach($j in [1..100000000])x#end#end")));

    long started = System.nanoTime();
    var answer = api.post(token, test, new JsonObject());
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.json().getJsonObject("request").getString("failure")).isNotBlank();
    assertThat(answer.json().containsKey("response")).isFalse();
    assertThat(millis).isLessThan(5_000);
  }

  @Test
  void proxy_integrations_bad_samples_and_other_tenants_integrations_are_refused() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String path = integrations(tenant, apiId);
    String proxy =
        create(
            path,
            new JsonObject()
                .put("type", "http_proxy")
                .put("httpMethod", "GET")
                .put("uri", "https://backend.example.com/"));
    var refused = api.post(token, proxy, new JsonObject());
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);

    String test = create(path, http(null));
    var badStatus = api.post(token, test, new JsonObject().put("status", 99));
    assertThat(badStatus.status()).isEqualTo(400);
    var unknownField = api.post(token, test, new JsonObject().put("statusCode", 200));
    assertThat(unknownField.status()).isEqualTo(400);

    String other = fx.tenant();
    var elsewhere =
        api.post(
            token,
            test.replace(
                "/tenants/" + tenant + "/apis/" + apiId, "/tenants/" + other + "/apis/" + apiId),
            new JsonObject());
    assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(404);
  }
}
