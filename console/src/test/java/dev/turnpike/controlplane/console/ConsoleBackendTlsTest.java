package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's integration form has no fields for TLS to the backend yet: saving it keeps what the
 * API set, so an edit in the console never silently turns verification settings back.
 */
class ConsoleBackendTlsTest extends ConsoleFeatureTest {
  @Test
  void saving_an_integration_in_the_console_keeps_its_tls_config() {
    String apiId = fixture.api(tenantId);
    String id =
        fixture
            .created(
                v1("/apis/" + apiId + "/integrations"),
                new JsonObject()
                    .put("type", "http_proxy")
                    .put("httpMethod", "ANY")
                    .put("uri", "https://orders.example.com/{proxy}")
                    .put(
                        "tlsConfig",
                        new JsonObject().put("serverNameToVerify", "orders.internal.example.com")))
            .getString("id");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("type", "http_proxy");
    form.put("httpMethod", "ANY");
    form.put("uri", "https://orders.example.com/{proxy}");
    form.put("function", "");
    form.put("payloadFormatVersion", "");
    form.put("mockStatus", "");
    form.put("mockBody", "");
    form.put("connectTimeoutMillis", "");
    form.put("timeoutMillis", "3000");

    HttpResponse<String> saved =
        owner.post(tenantPath + "apis/" + apiId + "/integrations/" + id, form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    JsonObject kept = api().get(apiToken, v1("/apis/" + apiId + "/integrations/" + id)).json();
    assertThat(kept.getInteger("timeoutMillis")).isEqualTo(3000);
    assertThat(kept.getJsonObject("tlsConfig").getString("serverNameToVerify"))
        .isEqualTo("orders.internal.example.com");
  }
}
