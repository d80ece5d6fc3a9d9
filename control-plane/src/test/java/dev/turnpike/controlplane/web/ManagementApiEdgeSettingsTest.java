package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.SourceIpPolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The management API: an API's and a stage's {@code sourceIpPolicy} and the API's {@code
 * minimumCompressionSize} / {@code decompressRequests}, stored in PostgreSQL and carried to the
 * stage's snapshot.
 */
class ManagementApiEdgeSettingsTest extends ManagementApiFeatureTest {
  static JsonObject policy(List<String> allow, List<String> deny) {
    return new JsonObject()
        .put("allowCidrs", new JsonArray(allow))
        .put("denyCidrs", new JsonArray(deny));
  }

  @Test
  void an_api_and_a_stage_policy_and_compression_reach_the_snapshot() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String apiPath = "/v1/tenants/" + tenant + "/apis/" + apiId;
    var updated =
        api.put(
            token,
            apiPath,
            new JsonObject()
                .put("name", "Pets")
                .put("sourceIpPolicy", policy(List.of("10.0.0.0/8", "2001:db8::/32"), List.of()))
                .put("minimumCompressionSize", 1024)
                .put("decompressRequests", true));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    JsonObject read = api.get(token, apiPath).json();
    assertThat(read.getJsonObject("sourceIpPolicy").getJsonArray("allowCidrs"))
        .containsExactly("10.0.0.0/8", "2001:db8::/32");
    assertThat(read.getInteger("minimumCompressionSize")).isEqualTo(1024);
    assertThat(read.getBoolean("decompressRequests")).isTrue();

    fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
    String stageId = fx.stage(tenant, apiId, "prod");
    var stage =
        api.put(
            token,
            apiPath + "/stages/" + stageId,
            new JsonObject().put("sourceIpPolicy", policy(List.of(), List.of("10.6.6.0/24"))));
    assertThat(stage.status()).as(stage.toString()).isEqualTo(200);
    assertThat(stage.json().getJsonObject("sourceIpPolicy").getJsonArray("denyCidrs"))
        .containsExactly("10.6.6.0/24");
    fx.deploy(tenant, apiId, stageId);

    DeploymentSnapshot snapshot =
        DeploymentSnapshot.CODEC.decode(
            lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
                .value3());
    assertThat(snapshot.edge().sourceIpPolicy())
        .isEqualTo(
            new SourceIpPolicy(List.of("10.0.0.0/8", "2001:db8::/32"), List.of("10.6.6.0/24")));
    assertThat(snapshot.edge().compression()).isEqualTo(new CompressionConfig(1024, true));
  }

  @Test
  void a_bad_cidr_is_a_400_naming_the_entry() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);

    var refused =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apis/" + apiId,
            new JsonObject()
                .put("name", "Pets")
                .put("sourceIpPolicy", policy(List.of("10.0.0.0/8", "not-an-ip"), List.of())));

    assertThat(refused.status()).isEqualTo(400);
    JsonObject error = refused.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("pointer")).isEqualTo("/sourceIpPolicy");
    assertThat(error.getString("message")).contains("allowCidrs[1]", "not-an-ip");
  }

  @Test
  void an_api_without_settings_has_no_policy_and_no_compression() {
    String tenant = fx.tenant();
    JsonObject read = api.get(token, "/v1/tenants/" + tenant + "/apis/" + fx.api(tenant)).json();

    assertThat(read.getValue("sourceIpPolicy")).isNull();
    assertThat(read.getValue("minimumCompressionSize")).isNull();
    assertThat(read.getBoolean("decompressRequests")).isFalse();
  }
}
