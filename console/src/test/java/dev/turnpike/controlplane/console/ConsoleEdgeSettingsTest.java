package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: an API's source-address policy and compression (on the console shared by every
 * {@link ConsoleFeatureTest}).
 */
class ConsoleEdgeSettingsTest extends ConsoleFeatureTest {
  HttpResponse<String> saveEdge(String apiId, String allow, String deny, String size) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("allowCidrs", allow);
    form.put("denyCidrs", deny);
    form.put("minimumCompressionSize", size);
    form.put("decompressRequests", "on");
    return owner.postEncoded(
        tenantPath + "apis/" + apiId + "/edge",
        ConsoleClient.encode(form) + "&_csrf=" + owner.csrf());
  }

  @Test
  void the_form_saves_the_policy_and_compression_and_shows_them_again() {
    String apiId = fixture.api(tenantId);

    HttpResponse<String> saved =
        saveEdge(apiId, "203.0.113.0/24\n 2001:db8::/32 \n", "203.0.113.9", "1024");

    assertThat(saved.statusCode()).isEqualTo(303);
    JsonObject api = api().get(apiToken, v1("/apis/" + apiId)).json();
    assertThat(api.getJsonObject("sourceIpPolicy").getJsonArray("allowCidrs"))
        .containsExactly("203.0.113.0/24", "2001:db8::/32");
    assertThat(api.getJsonObject("sourceIpPolicy").getJsonArray("denyCidrs"))
        .containsExactly("203.0.113.9");
    assertThat(api.getInteger("minimumCompressionSize")).isEqualTo(1024);
    assertThat(api.getBoolean("decompressRequests")).isTrue();
    assertThat(owner.page(tenantPath + "apis/" + apiId).body())
        .contains("203.0.113.0/24\n2001:db8::/32")
        .contains("value=\"1024\"");
  }

  @Test
  void a_bad_block_is_shown_on_the_form_and_nothing_changes() {
    String apiId = fixture.api(tenantId);

    HttpResponse<String> refused = saveEdge(apiId, "10.0.0.0/8\n10.1.2.3/16", "", "");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("allowCidrs[1]", "did you mean 10.1.0.0/16");
    assertThat(api().get(apiToken, v1("/apis/" + apiId)).json().getValue("sourceIpPolicy"))
        .isNull();
  }
}
