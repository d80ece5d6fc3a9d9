package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's integration editor for {@code aws_proxy} integrations: a function chosen among the
 * tenant's registered ones, payload format 1.0 or 2.0 and a timeout, created and edited on the
 * API's pages and shown in the route and integration lists (on the console shared by every {@link
 * ConsoleFeatureTest}).
 */
class FunctionIntegrationEditorTest extends ConsoleFeatureTest {
  static final String ARN =
      "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
          + "arn:aws:lambda:eu-west-1:123456789012:function:imported:live/invocations";

  String apiId;

  @BeforeAll
  void registerFunctions() {
    for (String name : new String[] {"catalog", "billing"}) {
      var answer =
          api()
              .put(
                  apiToken,
                  v1("/functions/" + name),
                  new JsonObject().put("invokeUrl", "http://" + name + ".example.com:9000"));
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }
  }

  /** An API of its own per test, so one test's integrations are not another's. */
  @BeforeEach
  void anApi() {
    apiId = fixture.api(tenantId);
  }

  String apiPage() {
    return tenantPath + "apis/" + apiId;
  }

  String integrationPage(String integrationId) {
    return apiPage() + "/integrations/" + integrationId;
  }

  JsonObject integration(String integrationId) {
    return api().get(apiToken, v1("/apis/" + apiId + "/integrations/" + integrationId)).json();
  }

  /** The integration form as a browser sends it: every field, those of other types included. */
  static Map<String, String> functionForm(String function, String version, String timeout) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "aws_proxy");
    form.put("httpMethod", "ANY");
    form.put("uri", "");
    form.put("function", function);
    form.put("payloadFormatVersion", version);
    form.put("mockStatus", "");
    form.put("mockBody", "");
    form.put("connectTimeoutMillis", "");
    form.put("timeoutMillis", timeout);
    return form;
  }

  @Test
  void an_aws_proxy_integration_is_created_with_a_registered_function_and_payload_version() {
    HttpResponse<String> page = owner.page(apiPage());
    assertThat(page.body())
        .contains("<option value=\"aws_proxy\">aws_proxy</option>")
        .contains("<option value=\"catalog\">catalog</option>")
        .contains("<option value=\"billing\">billing</option>")
        .contains("<option value=\"2.0\">2.0 (HTTP API event)</option>");

    HttpResponse<String> created =
        owner.post(apiPage() + "/integrations", functionForm("catalog", "2.0", "900"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    JsonObject made =
        api().get(apiToken, v1("/apis/" + apiId + "/integrations")).items().stream()
            .map(JsonObject.class::cast)
            .filter(i -> "catalog".equals(i.getString("function")))
            .findFirst()
            .orElseThrow();
    assertThat(made.getString("type")).isEqualTo("aws_proxy");
    assertThat(made.getString("payloadFormatVersion")).isEqualTo("2.0");
    assertThat(made.getString("httpMethod")).isEqualTo("POST");
    assertThat(made.getInteger("timeoutMillis")).isEqualTo(900);
    assertThat(made.getString("uri")).isNull();

    fixture.route(tenantId, apiId, made.getString("id"), "GET", "/catalog");
    String listed = owner.page(apiPage()).body();
    assertThat(listed).contains("aws_proxy function catalog").contains("payload 2.0");
    String routePage =
        owner
            .page(
                apiPage()
                    + "/routes/"
                    + api().get(apiToken, v1("/apis/" + apiId + "/routes")).items().stream()
                        .map(JsonObject.class::cast)
                        .filter(r -> "/catalog".equals(r.getString("resourcePath")))
                        .findFirst()
                        .orElseThrow()
                        .getString("id"))
            .body();
    assertThat(routePage).contains("aws_proxy function catalog");
  }

  @Test
  void an_imported_function_integration_is_edited_and_keeps_its_arn_while_it_names_that_function() {
    String id =
        fixture
            .created(
                v1("/apis/" + apiId + "/integrations"),
                new JsonObject().put("type", "aws_proxy").put("uri", ARN))
            .getString("id");

    HttpResponse<String> page = owner.page(integrationPage(id));
    assertThat(page.statusCode()).isEqualTo(200);
    // Not registered, yet offered and chosen: saving other fields keeps the function.
    assertThat(page.body())
        .containsPattern("<option value=\"imported:live\" selected=\"selected\">")
        .containsPattern("<option value=\"1.0\"\\s+selected=\"selected\">")
        .containsPattern("<option value=\"aws_proxy\" selected=\"selected\">");

    HttpResponse<String> saved =
        owner.post(integrationPage(id), functionForm("imported:live", "2.0", "3000"));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    JsonObject kept = integration(id);
    assertThat(kept.getString("function")).isEqualTo("imported:live");
    assertThat(kept.getString("payloadFormatVersion")).isEqualTo("2.0");
    assertThat(kept.getInteger("timeoutMillis")).isEqualTo(3000);
    assertThat(kept.getString("uri")).isEqualTo(ARN);

    HttpResponse<String> moved =
        owner.post(integrationPage(id), functionForm("billing", "1.0", "3000"));
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(303);
    JsonObject billing = integration(id);
    assertThat(billing.getString("function")).isEqualTo("billing");
    assertThat(billing.getString("payloadFormatVersion")).isEqualTo("1.0");
    // The ARN named the other function: it is not carried over to this one.
    assertThat(billing.getString("uri")).isNull();
  }

  @Test
  void an_http_integration_becomes_a_function_integration_and_back() {
    String id = fixture.integration(tenantId, apiId);

    HttpResponse<String> toFunction =
        owner.post(integrationPage(id), functionForm("catalog", "1.0", "5000"));
    assertThat(toFunction.statusCode()).as(toFunction.body()).isEqualTo(303);
    JsonObject function = integration(id);
    assertThat(function.getString("type")).isEqualTo("aws_proxy");
    assertThat(function.getString("function")).isEqualTo("catalog");
    assertThat(function.getString("httpMethod")).isEqualTo("POST");

    Map<String, String> http = functionForm("catalog", "1.0", "5000");
    http.put("type", "http_proxy");
    http.put("uri", "https://backend.example.com/{proxy}");
    HttpResponse<String> back = owner.post(integrationPage(id), http);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
    JsonObject proxy = integration(id);
    assertThat(proxy.getString("type")).isEqualTo("http_proxy");
    assertThat(proxy.containsKey("function")).isFalse();
    assertThat(proxy.containsKey("payloadFormatVersion")).isFalse();
  }

  @Test
  void
      a_function_integration_without_a_function_is_explained_beside_the_field_and_changes_nothing() {
    String id =
        fixture
            .created(
                v1("/apis/" + apiId + "/integrations"),
                new JsonObject().put("type", "aws_proxy").put("function", "catalog"))
            .getString("id");
    JsonObject before = integration(id);

    HttpResponse<String> refused = owner.post(integrationPage(id), functionForm("", "1.0", "5000"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern(
            "id=\"integration-function\"[\\s\\S]*?</select>\\s*<p class=\"error\">is required for"
                + " an aws_proxy integration");
    assertThat(integration(id)).isEqualTo(before);

    HttpResponse<String> badVersion =
        owner.post(integrationPage(id), functionForm("catalog", "3.0", "5000"));
    assertThat(badVersion.statusCode()).isEqualTo(400);
    assertThat(badVersion.body())
        .containsPattern(
            "id=\"integration-payload\"[\\s\\S]*?</select>\\s*<p class=\"error\">must be 1.0 or 2.0");
    assertThat(integration(id)).isEqualTo(before);
  }

  @Test
  void a_viewer_sees_the_function_but_cannot_change_it() {
    String id =
        fixture
            .created(
                v1("/apis/" + apiId + "/integrations"),
                new JsonObject()
                    .put("type", "aws_proxy")
                    .put("function", "billing")
                    .put("payloadFormatVersion", "2.0"))
            .getString("id");
    withViewer(
        (viewer, viewerId) -> {
          HttpResponse<String> page = viewer.page(integrationPage(id));
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.body())
              .containsPattern("<option value=\"billing\" selected=\"selected\">")
              .doesNotContain("Save integration");
          assertThat(
                  viewer
                      .post(integrationPage(id), functionForm("catalog", "1.0", "100"))
                      .statusCode())
              .isEqualTo(403);
          assertThat(integration(id).getString("function")).isEqualTo("billing");
        });
  }
}
