package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's Functions page, beside the APIs: list, register, replace, remove (on the console
 * and organization shared by every {@link ConsoleFeatureTest}).
 */
class FunctionPagesTest extends ConsoleFeatureTest {
  String functionsPage;

  @BeforeAll
  void functionsPage() {
    functionsPage = tenantPath + "functions";
  }

  String registeredUrl(String name) {
    var answer = cp.client().get(apiToken, "/v1/tenants/" + tenantId + "/functions/" + name);
    return answer.status() == 200 ? answer.json().getString("invokeUrl") : null;
  }

  @Test
  void functions_are_registered_replaced_refused_and_removed_through_the_page() {
    HttpResponse<String> empty = owner.page(functionsPage);
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).contains("No functions yet.").contains("Register a function");

    HttpResponse<String> registered =
        owner.post(
            functionsPage,
            Map.of(
                "name", "orders:live",
                "invokeUrl", "http://orders.example.com:9000",
                "timeoutMillis", "5000"));
    assertThat(registered.statusCode()).isEqualTo(303);
    HttpResponse<String> listed = owner.follow(registered);
    assertThat(listed.body())
        .contains("Function orders:live is registered.")
        .contains("http://orders.example.com:9000")
        .contains("5000 ms");
    assertThat(registeredUrl("orders:live")).isEqualTo("http://orders.example.com:9000");

    HttpResponse<String> replaced =
        owner.post(
            functionsPage,
            Map.of(
                "name", "orders:live",
                "invokeUrl", "http://orders2.example.com",
                "timeoutMillis", "29000"));
    assertThat(replaced.statusCode()).isEqualTo(303);
    assertThat(registeredUrl("orders:live")).isEqualTo("http://orders2.example.com");

    HttpResponse<String> refused =
        owner.post(
            functionsPage,
            Map.of(
                "name", "billing", "invokeUrl", "http://127.0.0.1:9000", "timeoutMillis", "soon"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern(
            "id=\"function-timeout\"[^>]*>\\s*<p class=\"error\">must be a whole number");
    assertThat(registeredUrl("billing")).isNull();
    HttpResponse<String> forbidden =
        owner.post(
            functionsPage,
            Map.of("name", "billing", "invokeUrl", "http://127.0.0.1:9000", "timeoutMillis", ""));
    assertThat(forbidden.statusCode()).isEqualTo(400);
    assertThat(forbidden.body())
        .containsPattern("id=\"function-url\"[^>]*>\\s*<p class=\"error\">must not point at")
        .contains("value=\"http://127.0.0.1:9000\"");
    assertThat(registeredUrl("billing")).isNull();

    HttpResponse<String> removed = owner.post(functionsPage + "/orders:live/delete", Map.of());
    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(owner.follow(removed).body())
        .contains("Function orders:live was removed.")
        .contains("No functions yet.");
    assertThat(registeredUrl("orders:live")).isNull();
  }

  @Test
  void the_page_is_in_the_navigation() {
    HttpResponse<String> page = owner.page(functionsPage);
    assertThat(page.body()).contains("href=\"/console/t/" + tenantId + "/functions\"");
  }

  @Test
  void an_api_page_shows_the_function_an_integration_invokes() {
    String apiId = fixture.api(tenantId);
    fixture.created(
        "/v1/tenants/" + tenantId + "/apis/" + apiId + "/integrations",
        new JsonObject().put("type", "aws_proxy").put("function", "orders:live"));
    HttpResponse<String> page = owner.page("/console/t/" + tenantId + "/apis/" + apiId);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("function orders:live");
  }
}
