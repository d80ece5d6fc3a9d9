package dev.turnpike.controlplane.upstream;

import static dev.turnpike.db.Tables.UPSTREAMS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.controlplane.deployment.FrozenApi;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18's management API on a real database: an API's upstreams stated by PUT, checked with the
 * contract's rules and the egress policy, named by integrations and frozen into deployments.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamsTest {
  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    api = cp.client();
    owner = db.ownerDsl();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  static String upstreams(String tenant, String apiId) {
    return "/v1/tenants/" + tenant + "/apis/" + apiId + "/upstreams";
  }

  static JsonObject target(String url, int weight) {
    return new JsonObject().put("url", url).put("weight", weight);
  }

  static JsonObject twoTargets() {
    return new JsonObject()
        .put("balancing", "least_requests")
        .put(
            "targets",
            new JsonArray()
                .add(target("https://a.example.com", 3))
                .add(target("https://b.example.com/base", 1)))
        .put(
            "healthCheck",
            new JsonObject()
                .put("path", "/healthz")
                .put("intervalMillis", 5000)
                .put("timeoutMillis", 1000)
                .put("healthyThreshold", 2)
                .put("unhealthyThreshold", 3));
  }

  @Test
  void an_upstream_is_created_replaced_listed_and_deleted() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer created = api.put(token, upstreams(tenant, apiId) + "/shop", twoTargets());
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    String id = created.json().getString("id");
    assertThat(created.json().getString("balancing")).isEqualTo("least_requests");
    assertThat(created.json().getJsonArray("targets")).hasSize(2);

    ApiClient.Answer replaced =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject()
                .put("targets", new JsonArray().add(target("https://c.example.com", 1))));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().getString("id")).isEqualTo(id);
    assertThat(replaced.json().getString("balancing")).isEqualTo("round_robin");

    ApiClient.Answer listed = api.get(token, upstreams(tenant, apiId));
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.items())
        .extracting(o -> ((JsonObject) o).getString("name"))
        .containsExactly("shop");
    assertThat(owner.fetchCount(UPSTREAMS, UPSTREAMS.ID.eq(UUID.fromString(id)))).isEqualTo(1);

    assertThat(api.delete(token, upstreams(tenant, apiId) + "/shop").status()).isEqualTo(204);
    assertThat(api.get(token, upstreams(tenant, apiId) + "/shop").status()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp target | ftp://a.example.com | 1 | /targets | http or https",
        "no host | https:///x | 1 | /targets | http or https",
        "weight 0 | https://a.example.com | 0 | /targets | weight must be 1 to 1000",
        "weight 1001 | https://a.example.com | 1001 | /targets | weight must be 1 to 1000",
        "query in url | https://a.example.com/?a=1 | 1 | /targets | without query"
      })
  void a_bad_target_is_a_400_naming_it(
      String ignored, String url, int weight, String pointer, String message) {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer answer =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject().put("targets", new JsonArray().add(target(url, weight))));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.body()).contains(pointer).contains(message);
  }

  @Test
  void names_health_check_ranges_and_empty_targets_are_checked() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject badCheck = twoTargets();
    badCheck.getJsonObject("healthCheck").put("intervalMillis", 10).put("healthyThreshold", 0);

    ApiClient.Answer badName = api.put(token, upstreams(tenant, apiId) + "/Shop_1", twoTargets());
    ApiClient.Answer badRanges = api.put(token, upstreams(tenant, apiId) + "/shop", badCheck);
    ApiClient.Answer none =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject().put("targets", new JsonArray()));

    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body()).contains("/name");
    assertThat(badRanges.status()).isEqualTo(400);
    assertThat(badRanges.body()).contains("intervalMillis").contains("thresholds");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.body()).contains("1 to 32 targets, or discovery");
  }

  @Test
  void a_target_the_egress_policy_refuses_is_a_400() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer metadata =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject()
                .put(
                    "targets",
                    new JsonArray()
                        .add(target("https://a.example.com", 1))
                        .add(target("http://169.254.169.254", 1))));

    assertThat(metadata.status()).as(metadata.toString()).isEqualTo(400);
    assertThat(metadata.body()).contains("/targets/1/url");
  }

  @Test
  void integrations_name_upstreams_and_a_deployment_freezes_them_or_refuses_a_missing_one() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    ApiClient.Answer integration =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
            new JsonObject()
                .put("type", "http_proxy")
                .put("httpMethod", "ANY")
                .put("uri", "upstream://shop/api/{proxy}")
                .put("timeoutMillis", 5000));
    assertThat(integration.status()).as(integration.toString()).isEqualTo(201);
    fx.route(tenant, apiId, integration.json().getString("id"), "ANY", "/{proxy+}");
    String stage = fx.stage(tenant, apiId, "prod");

    ApiClient.Answer refused =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/deployments",
            new JsonObject().put("stageId", stage));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("shop");

    api.put(token, upstreams(tenant, apiId) + "/shop", twoTargets());
    JsonObject deployment = fx.deploy(tenant, apiId, stage);

    FrozenApi frozen = Json.read(deployment.getJsonObject("definition").encode(), FrozenApi.class);
    assertThat(frozen.upstreams())
        .containsExactly(
            new UpstreamConfig(
                "shop",
                UpstreamBalancing.LEAST_REQUESTS,
                List.of(
                    new UpstreamTarget("https://a.example.com", 3),
                    new UpstreamTarget("https://b.example.com/base", 1)),
                new UpstreamHealthCheck("/healthz", 5000, 1000, 2, 3)));
  }

  @Test
  void targets_may_come_from_dns_discovery_checked_and_frozen() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject discovery =
        new JsonObject()
            .put("hostname", "shop.default.svc.cluster.local")
            .put("port", 8080)
            .put("scheme", "http")
            .put("weight", 1)
            .put("refreshSeconds", 30);

    ApiClient.Answer saved =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject().put("targets", new JsonArray()).put("discovery", discovery));
    ApiClient.Answer bad =
        api.put(
            token,
            upstreams(tenant, apiId) + "/other",
            new JsonObject()
                .put(
                    "discovery",
                    discovery.copy().put("hostname", "10.0.0.1").put("refreshSeconds", 0)));

    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(api.get(token, upstreams(tenant, apiId) + "/shop").json().getJsonObject("discovery"))
        .isEqualTo(discovery.copy().put("records", "a"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("/discovery").contains("hostname").contains("refreshSeconds");
  }

  @Test
  void srv_discovery_takes_port_and_weight_from_the_records() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    JsonObject discovery =
        new JsonObject()
            .put("hostname", "_http._tcp.shop.service.consul")
            .put("scheme", "https")
            .put("refreshSeconds", 60)
            .put("records", "srv");

    ApiClient.Answer saved =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject().put("discovery", discovery));
    ApiClient.Answer stated =
        api.put(
            token,
            upstreams(tenant, apiId) + "/other",
            new JsonObject().put("discovery", discovery.copy().put("port", 8080)));

    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(api.get(token, upstreams(tenant, apiId) + "/shop").json().getJsonObject("discovery"))
        .isEqualTo(discovery.copy().put("port", 0).put("weight", 0));
    assertThat(stated.status()).isEqualTo(400);
    assertThat(stated.body()).contains("come from the SRV records");
  }

  @Test
  void an_srv_name_under_a_refused_host_is_refused() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer refused =
        api.put(
            token,
            upstreams(tenant, apiId) + "/shop",
            new JsonObject()
                .put(
                    "discovery",
                    new JsonObject()
                        .put("hostname", "_http._tcp.metadata.google.internal")
                        .put("scheme", "http")
                        .put("refreshSeconds", 60)
                        .put("records", "srv")));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("/discovery/hostname").contains("must not point at");
  }

  @Test
  void an_upstream_uri_is_only_for_http_integrations() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    ApiClient.Answer answer =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations",
            new JsonObject()
                .put("type", "http_proxy")
                .put("httpMethod", "ANY")
                .put("uri", "upstream://Not_A_Name/x"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body()).contains("/uri");
  }

  @Test
  void a_tenant_cannot_read_or_change_another_tenants_upstreams() {
    String victim = fx.tenant();
    String victimApi = fx.api(victim);
    api.put(token, upstreams(victim, victimApi) + "/shop", twoTargets());
    String otherToken = cp.token("mallory-" + UUID.randomUUID());

    assertThat(api.get(otherToken, upstreams(victim, victimApi) + "/shop").status()).isIn(403, 404);
    assertThat(api.put(otherToken, upstreams(victim, victimApi) + "/shop", twoTargets()).status())
        .isIn(403, 404);
    assertThat(api.get(token, upstreams(victim, victimApi) + "/shop").status()).isEqualTo(200);
  }
}
