package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's Upstreams page of an API (on the console and organization shared by every {@link
 * ConsoleFeatureTest}): targets and their configured state, and the form that creates, edits and
 * deletes them with the management API's rules and messages.
 */
class UpstreamPagesTest extends ConsoleFeatureTest {
  JsonObject stored(String apiId, String name) {
    var answer =
        cp.client()
            .get(apiToken, "/v1/tenants/" + tenantId + "/apis/" + apiId + "/upstreams/" + name);
    return answer.status() == 200 ? answer.json() : null;
  }

  static Map<String, String> shop(String targets) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", "shop");
    form.put("balancing", "least_requests");
    form.put("targets", targets);
    form.put("hc.enabled", "on");
    form.put("hc.path", "/healthz");
    form.put("hc.interval", "5000");
    form.put("hc.timeout", "1000");
    form.put("hc.healthy", "2");
    form.put("hc.unhealthy", "3");
    form.put("dns.records", "");
    return form;
  }

  @Test
  void an_owner_creates_edits_and_deletes_an_upstream_through_the_page() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/upstreams";
    assertThat(owner.page(page).body()).contains("Add an upstream");

    HttpResponse<String> created =
        owner.post(page, shop("https://a.example.com 3\n\nhttps://b.example.com/base\n"));

    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(owner.follow(created).body())
        .contains("Upstream shop is saved.")
        .contains("Least requests")
        .contains("health check GET /healthz every 5000 ms");
    JsonObject saved = stored(apiId, "shop");
    assertThat(saved.getString("balancing")).isEqualTo("least_requests");
    assertThat(saved.getJsonArray("targets"))
        .containsExactly(
            new JsonObject().put("url", "https://a.example.com").put("weight", 3),
            new JsonObject().put("url", "https://b.example.com/base").put("weight", 1));
    assertThat(saved.getJsonObject("healthCheck").getInteger("unhealthyThreshold")).isEqualTo(3);

    String editing = owner.page(page + "/shop").body();
    assertThat(editing)
        .contains("Edit upstream shop")
        .contains("https://a.example.com 3\nhttps://b.example.com/base 1")
        .containsPattern("name=\"hc.enabled\" value=\"on\" checked");

    Map<String, String> srv = shop("");
    srv.put("hc.enabled", "");
    srv.put("balancing", "round_robin");
    srv.put("dns.records", "srv");
    srv.put("dns.hostname", "_http._tcp.shop.service.consul");
    srv.put("dns.scheme", "https");
    srv.put("dns.refresh", "120");
    HttpResponse<String> edited = owner.post(page, srv);

    assertThat(edited.statusCode()).isEqualTo(303);
    assertThat(owner.follow(edited).body())
        .contains("Targets from DNS SRV records of _http._tcp.shop.service.consul")
        .contains("no active health check");
    JsonObject discovered = stored(apiId, "shop");
    assertThat(discovered.getJsonArray("targets")).isEmpty();
    assertThat(discovered.getValue("healthCheck")).isNull();
    assertThat(discovered.getJsonObject("discovery"))
        .isEqualTo(
            new JsonObject()
                .put("hostname", "_http._tcp.shop.service.consul")
                .put("port", 0)
                .put("scheme", "https")
                .put("weight", 0)
                .put("refreshSeconds", 120)
                .put("records", "srv"));

    HttpResponse<String> deleted = owner.post(page + "/shop/delete", Map.of());
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(owner.follow(deleted).body()).contains("Upstream shop was deleted.");
    assertThat(stored(apiId, "shop")).isNull();
  }

  @Test
  void a_refused_upstream_shows_the_apis_messages_beside_its_fields_and_changes_nothing() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/upstreams";
    Map<String, String> bad = shop("https://a.example.com 0\nhttps://a.example.com 1");
    bad.put("hc.path", "healthz");
    bad.put("hc.interval", "500");

    HttpResponse<String> refused = owner.post(page, bad);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("target https://a.example.com: weight must be 1 to 1000")
        .contains("target https://a.example.com is listed twice")
        .contains("healthCheck.path must start with /")
        .contains("healthCheck.intervalMillis must be 1000 to 300000")
        // The form keeps what was sent.
        .contains("https://a.example.com 0\nhttps://a.example.com 1");
    assertThat(stored(apiId, "shop")).isNull();

    // The egress policy refuses a metadata address as the API does, beside the targets.
    HttpResponse<String> metadata =
        owner.post(page, shop("https://a.example.com 1\nhttp://169.254.169.254 1"));
    assertThat(metadata.statusCode()).isEqualTo(400);
    assertThat(metadata.body()).containsPattern("<p class=\"error\">target 2: must not point at");
    assertThat(stored(apiId, "shop")).isNull();

    Map<String, String> srvWithPort = shop("");
    srvWithPort.put("dns.records", "srv");
    srvWithPort.put("dns.hostname", "_http._tcp.shop.test");
    srvWithPort.put("dns.scheme", "http");
    srvWithPort.put("dns.port", "8080");
    srvWithPort.put("dns.refresh", "30");
    HttpResponse<String> stated = owner.post(page, srvWithPort);
    assertThat(stated.statusCode()).isEqualTo(400);
    assertThat(stated.body())
        .contains("discovery.port and discovery.weight come from the SRV records; leave them out");
    assertThat(stored(apiId, "shop")).isNull();
  }

  @Test
  void a_viewer_sees_upstreams_but_cannot_change_them() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/upstreams";
    assertThat(owner.post(page, shop("https://a.example.com 1")).statusCode()).isEqualTo(303);

    withViewer(
        (viewer, viewerId) -> {
          assertThat(viewer.page(page).body()).contains("https://a.example.com");
          assertThat(viewer.post(page + "/shop/delete", Map.of()).statusCode()).isEqualTo(403);
          assertThat(viewer.post(page, shop("https://evil.example.com 1")).statusCode())
              .isEqualTo(403);
        });
    assertThat(stored(apiId, "shop").getJsonArray("targets").getJsonObject(0).getString("url"))
        .isEqualTo("https://a.example.com");
  }

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
                + " http://address:8080, weight 1, re-resolved on the records&#39; TTL (at most"
                + " every 30 s) on each node.");
    assertThat(owner.page(tenantPath + "apis/" + apiId).body()).contains("/upstreams");
  }
}
