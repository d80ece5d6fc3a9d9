package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: an integration's request templates, passthrough behaviour and test panel (on
 * the console shared by every {@link ConsoleFeatureTest}).
 */
class ConsoleRequestTemplatesTest extends ConsoleFeatureTest {
  private String integration(String apiId) {
    var created =
        api()
            .post(
                apiToken,
                v1("/apis/" + apiId + "/integrations"),
                new JsonObject()
                    .put("type", "http")
                    .put("httpMethod", "POST")
                    .put("uri", "https://backend.example.com/orders")
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
                                            .put("method.response.header.x-kind", "'order'")))
                            .add(new JsonObject().put("statusCode", 200))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().getString("id");
  }

  private static Map<String, String> form() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "http");
    form.put("httpMethod", "POST");
    form.put("uri", "https://backend.example.com/orders");
    form.put("timeoutMillis", "5000");
    return form;
  }

  @Test
  void request_templates_and_passthrough_are_saved_by_content_type_and_responses_are_kept() {
    String apiId = fixture.api(tenantId);
    String integrationId = integration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);

    String page = owner.page(path).body();
    // A new integration offers an application/json template to fill in.
    assertThat(page).containsPattern("name=\"rt.0.contentType\"[^>]*value=\"application/json\"");
    assertThat(page).contains("name=\"passthroughBehavior\"");

    Map<String, String> form = form();
    // Browsers send a textarea's line breaks as CRLF.
    form.put("rt.0.contentType", "application/json");
    form.put("rt.0.template", "#set($id = $input.path('$.id'))\r\n{\"id\": \"$id\"}");
    form.put("rt.1.contentType", "text/plain");
    form.put("rt.1.template", "$input.body");
    form.put("rt.2.contentType", "application/xml");
    form.put("rt.2.template", "");
    form.put("passthroughBehavior", "never");
    HttpResponse<String> saved = owner.post(path, form);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);

    JsonObject read = api().get(apiToken, v1Path).json();
    assertThat(read.getJsonObject("requestTemplates").getMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "application/json",
                "#set($id = $input.path('$.id'))\n{\"id\": \"$id\"}",
                "text/plain",
                "$input.body"));
    assertThat(read.getString("passthroughBehavior")).isEqualTo("never");
    assertThat(read.getJsonArray("integrationResponses")).hasSize(2);
    assertThat(owner.page(path).body())
        .containsPattern("name=\"rt.1.contentType\"[^>]*value=\"text/plain\"")
        .containsPattern("<option value=\"never\" selected=\"selected\">never</option>");

    // Blanking a template removes it; the default passthrough is sent as none.
    form.put("rt.1.template", " ");
    form.put("passthroughBehavior", "");
    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
    JsonObject after = api().get(apiToken, v1Path).json();
    assertThat(after.getJsonObject("requestTemplates").fieldNames())
        .containsExactly("application/json");
    assertThat(after.containsKey("passthroughBehavior")).isFalse();
  }

  @Test
  void
      a_template_that_does_not_parse_is_explained_beside_it_with_line_and_column_and_changes_nothing() {
    String apiId = fixture.api(tenantId);
    String integrationId = integration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);

    Map<String, String> form = form();
    form.put("rt.0.contentType", "application/json");
    form.put("rt.0.template", "{\r\n  #if($x) \"a\"\r\n}");
    HttpResponse<String> answer = owner.post(path, form);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .containsPattern(
            "name=\"rt.0.template\"[^>]*>[^<]*</textarea>\\s*<p class=\"error\">[^<]*line \\d+,"
                + " column \\d+");
    assertThat(api().get(apiToken, v1Path).json().containsKey("requestTemplates")).isFalse();
  }

  @Test
  void the_test_panel_shows_the_chosen_template_output_and_the_selected_response() {
    String apiId = fixture.api(tenantId);
    String integrationId = integration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    Map<String, String> form = form();
    form.put("rt.0.contentType", "application/json");
    form.put(
        "rt.0.template", "{\"id\": \"$input.path('$.id')\", \"env\": \"$stageVariables.env\"}");
    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
    assertThat(owner.page(path).body())
        .containsPattern("action=\"[^\"]*/integrations/" + integrationId + "/test#test\"");

    Map<String, String> sample = new LinkedHashMap<>();
    sample.put("testMethod", "POST");
    sample.put("testPath", "/orders");
    sample.put("testHeaders", "Content-Type: application/json\r\nAccept: application/json");
    sample.put("testBody", "{\"id\": \"o-7\"}");
    sample.put("testStageVariables", "env=prod");
    sample.put("testStatus", "404");
    sample.put("testBackendBody", "{}");
    HttpResponse<String> tested = owner.post(path + "/test", sample);

    assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
    assertThat(tested.body())
        .contains("Template for application/json")
        .containsPattern(
            "id=\"test-request-output\">\\{&quot;id&quot;: &quot;o-7&quot;, &quot;env&quot;:"
                + " &quot;prod&quot;\\}</pre>")
        .contains("(pattern 4\\d{2})")
        .contains("Status 400")
        .contains("x-kind: order")
        // The panel keeps the sample it was sent.
        .containsPattern("name=\"testStatus\"[^>]*value=\"404\"");

    sample.put("testHeaders", "Content-Type: text/csv");
    HttpResponse<String> passed = owner.post(path + "/test", sample);
    assertThat(passed.body()).contains("No template for text/csv: the body passes through");

    sample.put("testStatus", "twelve");
    HttpResponse<String> refused = owner.post(path + "/test", sample);
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("/status must be a whole number");
  }

  @Test
  void integration_responses_and_content_handling_are_edited_as_rows_and_kept_in_order() {
    String apiId = fixture.api(tenantId);
    String integrationId = integration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);

    String page = owner.page(path).body();
    // The responses the integration has are filled in, in order, then one blank row.
    assertThat(page)
        .containsPattern("name=\"ir.0.selectionPattern\"[^>]*value=\"4\\\\d\\{2\\}\"")
        .containsPattern("name=\"ir.0.statusCode\"[^>]*value=\"400\"")
        .contains("method.response.header.x-kind = &#39;order&#39;")
        .containsPattern("name=\"ir.1.statusCode\"[^>]*value=\"200\"")
        .contains("name=\"ir.2.statusCode\"")
        .doesNotContain("name=\"ir.3.statusCode\"")
        .contains("<option value=\"aws\">aws</option>");

    Map<String, String> form = form();
    form.put("contentHandling", "CONVERT_TO_TEXT");
    form.put("ir.0.selectionPattern", "5\\d{2}");
    form.put("ir.0.statusCode", "502");
    form.put("ir.0.parameters", "method.response.header.x-kind = 'failure'\r\n");
    form.put("ir.0.type", "application/json");
    form.put("ir.0.template", "{\"error\": $input.json('$.message')}");
    form.put("ir.0.contentHandling", "");
    form.put("ir.1.selectionPattern", "");
    form.put("ir.1.statusCode", "200");
    form.put("ir.1.type", "application/json");
    form.put("ir.1.template", "");
    form.put("ir.1.contentHandling", "CONVERT_TO_TEXT");
    form.put("ir.2.type", "application/json");
    HttpResponse<String> saved = owner.post(path, form);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);

    JsonObject read = api().get(apiToken, v1Path).json();
    assertThat(read.getString("contentHandling")).isEqualTo("CONVERT_TO_TEXT");
    JsonArray responses = read.getJsonArray("integrationResponses");
    assertThat(responses).hasSize(2);
    JsonObject failure = responses.getJsonObject(0);
    assertThat(failure.getString("selectionPattern")).isEqualTo("5\\d{2}");
    assertThat(failure.getInteger("statusCode")).isEqualTo(502);
    assertThat(failure.getJsonObject("responseParameters").getMap())
        .containsExactlyEntriesOf(Map.of("method.response.header.x-kind", "'failure'"));
    assertThat(failure.getJsonObject("responseTemplates").getMap())
        .containsExactlyEntriesOf(
            Map.of("application/json", "{\"error\": $input.json('$.message')}"));
    JsonObject fallback = responses.getJsonObject(1);
    assertThat(fallback.getString("selectionPattern")).isNull();
    assertThat(fallback.getString("contentHandling")).isEqualTo("CONVERT_TO_TEXT");

    // Removing a row removes that response; the other stays.
    form.put("ir.0.remove", "on");
    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
    JsonArray left = api().get(apiToken, v1Path).json().getJsonArray("integrationResponses");
    assertThat(left).hasSize(1);
    assertThat(left.getJsonObject(0).getInteger("statusCode")).isEqualTo(200);
  }

  @Test
  void a_bad_integration_response_is_explained_beside_its_row_and_changes_nothing() {
    String apiId = fixture.api(tenantId);
    String integrationId = integration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);
    JsonObject before = api().get(apiToken, v1Path).json();

    Map<String, String> form = form();
    form.put("ir.0.selectionPattern", "(unclosed");
    form.put("ir.0.statusCode", "200");
    form.put("ir.1.statusCode", "eleven");
    HttpResponse<String> answer = owner.post(path, form);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .containsPattern("name=\"ir.1.statusCode\"[^>]*>\\s*<p class=\"error\">[^<]*whole number");
    assertThat(api().get(apiToken, v1Path).json()).isEqualTo(before);

    form.put("ir.1.statusCode", "500");
    HttpResponse<String> pattern = owner.post(path, form);
    assertThat(pattern.statusCode()).isEqualTo(400);
    assertThat(pattern.body())
        .containsPattern("name=\"ir.0.selectionPattern\"[^>]*>\\s*<p class=\"error\">");
    assertThat(api().get(apiToken, v1Path).json()).isEqualTo(before);
  }

  @Test
  void an_aws_integration_is_saved_with_its_function_and_no_payload_format() {
    String apiId = fixture.api(tenantId);
    String integrationId = integration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + integrationId;
    String v1Path = v1("/apis/" + apiId + "/integrations/" + integrationId);

    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "aws");
    form.put("function", "orders");
    form.put("payloadFormatVersion", "2.0");
    form.put("timeoutMillis", "5000");
    form.put("rt.0.contentType", "application/json");
    form.put("rt.0.template", "{\"id\": \"$input.params('id')\"}");
    HttpResponse<String> saved = owner.post(path, form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    JsonObject read = api().get(apiToken, v1Path).json();
    assertThat(read.getString("type")).isEqualTo("aws");
    assertThat(read.getString("function")).isEqualTo("orders");
    assertThat(read.getJsonObject("requestTemplates").getMap()).containsKey("application/json");
    assertThat(owner.page(path).body())
        .contains("<option value=\"aws\" selected=\"selected\">aws</option>");
  }
}
