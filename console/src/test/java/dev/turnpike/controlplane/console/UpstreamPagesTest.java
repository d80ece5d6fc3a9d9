package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The console's Upstreams page of an API (on the console and organization shared by every {@link
 * ConsoleFeatureTest}): targets and their configured state.
 */
class UpstreamPagesTest extends ConsoleFeatureTest {
  @Test
  void the_page_shows_each_upstreams_targets_weights_and_health_check() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/upstreams";
    assertThat(owner.page(page).body()).contains("No upstreams yet.");

    var saved =
        cp.client()
            .put(
                apiToken,
                "/v1/tenants/" + tenantId + "/apis/" + apiId + "/upstreams/shop",
                new JsonObject()
                    .put(
                        "targets",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("url", "https://a.example.com")
                                    .put("weight", 3))
                            .add(
                                new JsonObject()
                                    .put("url", "https://b.example.com")
                                    .put("weight", 1)))
                    .put(
                        "healthCheck",
                        new JsonObject()
                            .put("path", "/healthz")
                            .put("intervalMillis", 5000)
                            .put("timeoutMillis", 1000)
                            .put("healthyThreshold", 2)
                            .put("unhealthyThreshold", 3)));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);

    var dns =
        cp.client()
            .put(
                apiToken,
                "/v1/tenants/" + tenantId + "/apis/" + apiId + "/upstreams/mesh",
                new JsonObject()
                    .put(
                        "discovery",
                        new JsonObject()
                            .put("hostname", "shop.default.svc.cluster.local")
                            .put("port", 8080)
                            .put("scheme", "http")
                            .put("weight", 1)
                            .put("refreshSeconds", 30)));
    assertThat(dns.status()).as(dns.toString()).isEqualTo(200);

    HttpResponse<String> shown = owner.page(page);

    assertThat(shown.statusCode()).isEqualTo(200);
    assertThat(shown.body())
        .contains("shop")
        .contains("https://a.example.com")
        .contains("https://b.example.com")
        .contains("Weighted round-robin")
        .contains("health check GET /healthz every 5000 ms")
        .contains("turnpike_gateway_upstream_target_healthy")
        .contains(
            "Targets from DNS: every address of shop.default.svc.cluster.local as"
                + " http://address:8080, weight 1, re-resolved every 30 s on each node.");
    assertThat(owner.page(tenantPath + "apis/" + apiId).body()).contains("/upstreams");
  }
}
