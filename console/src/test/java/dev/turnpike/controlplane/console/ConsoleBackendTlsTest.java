package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.tls.TestCertificates;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TLS to backends in the console: an http integration's trusted CA, server name and skipping
 * verification (off unless ticked, warned about while on) on the integration page; the client
 * certificate a stage presents on the stage page. A form from before the fields existed keeps what
 * the API set, so an edit never silently turns verification settings back.
 */
class ConsoleBackendTlsTest extends ConsoleFeatureTest {
  static final TestCertificates.Authority BACKEND_CA = TestCertificates.authority("Backend CA");

  String httpIntegration(String apiId) {
    return fixture
        .created(
            v1("/apis/" + apiId + "/integrations"),
            new JsonObject()
                .put("type", "http_proxy")
                .put("httpMethod", "ANY")
                .put("uri", "https://orders.example.com/{proxy}"))
        .getString("id");
  }

  Map<String, String> integrationForm() {
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
    form.put("tls.shown", "1");
    return form;
  }

  @Test
  void the_integration_page_sets_a_private_ca_and_name_with_verification_on_by_default() {
    String apiId = fixture.api(tenantId);
    String id = httpIntegration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + id;
    String page = owner.page(path).body();
    assertThat(page)
        .contains("TLS to the backend")
        .containsPattern("<input type=\"checkbox\" id=\"integration-tls-skip\"[^>]*>")
        .doesNotContainPattern("id=\"integration-tls-skip\"[^>]*checked")
        .doesNotContain("role=\"alert\"");

    Map<String, String> form = integrationForm();
    form.put("tls.trustedCaPem", BACKEND_CA.certificatePem().replace("\n", "\r\n"));
    form.put("tls.serverNameToVerify", "orders.internal.example.com");
    HttpResponse<String> saved = owner.post(path, form);

    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    JsonObject tls =
        api()
            .get(apiToken, v1("/apis/" + apiId + "/integrations/" + id))
            .json()
            .getJsonObject("tlsConfig");
    assertThat(tls.getString("trustedCaPem")).isEqualTo(BACKEND_CA.certificatePem());
    assertThat(tls.getString("serverNameToVerify")).isEqualTo("orders.internal.example.com");
    assertThat(tls.getBoolean("insecureSkipVerification", false)).isFalse();
    assertThat(owner.page(path).body())
        .contains("orders.internal.example.com")
        .contains("BEGIN CERTIFICATE");
  }

  @Test
  void skipping_verification_is_saved_only_when_ticked_and_the_page_warns_while_it_is_on() {
    String apiId = fixture.api(tenantId);
    String id = httpIntegration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + id;
    Map<String, String> form = integrationForm();
    form.put("tls.insecureSkipVerification", "on");

    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);

    JsonObject saved = api().get(apiToken, v1("/apis/" + apiId + "/integrations/" + id)).json();
    assertThat(saved.getJsonObject("tlsConfig").getBoolean("insecureSkipVerification")).isTrue();
    assertThat(owner.page(path).body())
        .containsPattern("id=\"integration-tls-skip\"[^>]*checked")
        .containsPattern("<p class=\"warning\" role=\"alert\">[^<]*insecureSkipVerification is on");

    // Unticked (a browser sends nothing for it): verification is back on, nothing stored.
    form.remove("tls.insecureSkipVerification");
    assertThat(owner.post(path, form).statusCode()).isEqualTo(303);
    assertThat(
            api()
                .get(apiToken, v1("/apis/" + apiId + "/integrations/" + id))
                .json()
                .containsKey("tlsConfig"))
        .isFalse();
    assertThat(owner.page(path).body()).doesNotContain("role=\"alert\"");
  }

  @Test
  void a_private_ca_together_with_skipping_is_explained_beside_the_field_and_changes_nothing() {
    String apiId = fixture.api(tenantId);
    String id = httpIntegration(apiId);
    String path = tenantPath + "apis/" + apiId + "/integrations/" + id;
    Map<String, String> form = integrationForm();
    form.put("tls.trustedCaPem", BACKEND_CA.certificatePem());
    form.put("tls.insecureSkipVerification", "on");

    HttpResponse<String> refused = owner.post(path, form);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern(
            "id=\"integration-tls-skip\"[^>]*>[^<]*</label>\\s*<p class=\"error\">cannot be on with a"
                + " trustedCaPem");
    assertThat(
            api()
                .get(apiToken, v1("/apis/" + apiId + "/integrations/" + id))
                .json()
                .containsKey("tlsConfig"))
        .isFalse();
  }

  @Test
  void the_stage_page_uploads_a_client_certificate_shows_it_without_its_key_and_removes_it() {
    String apiId = fixture.api(tenantId);
    String stageId = fixture.stage(tenantId, apiId, "prod");
    String path = tenantPath + "apis/" + apiId + "/stages/" + stageId;
    assertThat(owner.page(path).body())
        .contains("Client certificate for backends")
        .contains("Upload client certificate");
    TestCertificates.Issued gateway = BACKEND_CA.client("turnpike-prod");

    HttpResponse<String> bad =
        owner.post(
            path + "/client-certificate",
            Map.of(
                "certificatePem",
                gateway.certificatePem(),
                "privateKeyPem",
                BACKEND_CA.client("other").privateKeyPem()));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .containsPattern("id=\"stage-cc-key\"[^>]*></textarea>\\s*<p class=\"error\">")
        .doesNotContain("PRIVATE KEY-----\n");

    HttpResponse<String> saved =
        owner.post(
            path + "/client-certificate",
            Map.of(
                "certificatePem",
                gateway.certificatePem(),
                "privateKeyPem",
                gateway.privateKeyPem()));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    String page = owner.page(path).body();
    assertThat(page)
        .contains("CN=turnpike-prod")
        .contains("Replace client certificate")
        .doesNotContain(gateway.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
    String certificatePath = v1("/apis/" + apiId + "/stages/" + stageId + "/client-certificate");
    assertThat(api().get(apiToken, certificatePath).status()).isEqualTo(200);

    assertThat(owner.post(path + "/client-certificate/delete", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(api().get(apiToken, certificatePath).status()).isEqualTo(404);
    assertThat(owner.page(path).body()).contains("Upload client certificate");
  }

  @Test
  void saving_a_form_without_the_tls_fields_keeps_the_integrations_tls_config() {
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
