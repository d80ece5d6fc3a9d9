package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner console: the stage page's canary section sets, promotes and deletes a canary. */
class ConsoleStageCanaryTest extends ConsoleFeatureTest {
  DeploymentSnapshot published(String apiId) {
    return DeploymentSnapshot.CODEC.decode(
        lastOutbox(Topics.DEPLOYMENTS, Topics.deploymentKey(tenantId, apiId, "prod")));
  }

  Map<String, String> canaryForm(String deploymentId, String percent) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("canary.deployment", deploymentId);
    form.put("canary.percent", percent);
    form.put("canary.overrides", "color=green\n");
    form.put("canary.useStageCache", "on");
    form.put("canary.stickiness", "600");
    return form;
  }

  @Test
  void the_stage_page_sets_promotes_and_deletes_a_canary() {
    String apiId = fixture.api(tenantId);
    fixture.route(tenantId, apiId, fixture.integration(tenantId, apiId), "GET", "/pets");
    String prod = fixture.stage(tenantId, apiId, "prod");
    String beta = fixture.stage(tenantId, apiId, "beta");
    String base = fixture.deploy(tenantId, apiId, prod).getString("id");
    String candidate = fixture.deploy(tenantId, apiId, beta).getString("id");
    String stagePath = tenantPath + "apis/" + apiId + "/stages/" + prod;
    assertThat(owner.page(stagePath).body())
        .contains("No canary")
        .contains("Set canary")
        .doesNotContain("Promote canary");

    HttpResponse<String> refused =
        owner.post(stagePath + "/canary", canaryForm(candidate, "100.5"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("must be between 0 and 100");
    assertThat(published(apiId).canary()).isNull();

    HttpResponse<String> set = owner.post(stagePath + "/canary", canaryForm(candidate, "12.5"));
    assertThat(set.statusCode()).as(set.body()).isEqualTo(303);
    assertThat(published(apiId).canary().percentTraffic()).isEqualTo(12.5);
    assertThat(published(apiId).canary().deployment().stageVariables())
        .containsEntry("color", "green");
    assertThat(owner.page(stagePath).body()).contains("12.5%").contains("Promote canary");

    HttpResponse<String> promoted = owner.post(stagePath + "/canary/promote", Map.of());
    assertThat(promoted.statusCode()).isEqualTo(303);
    assertThat(published(apiId).deploymentId()).isEqualTo(candidate);
    assertThat(published(apiId).canary()).isNull();

    owner.post(stagePath + "/canary", canaryForm(base, "5"));
    assertThat(published(apiId).canary()).isNotNull();
    HttpResponse<String> deleted = owner.post(stagePath + "/canary/delete", Map.of());
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(published(apiId).canary()).isNull();
    assertThat(owner.page(stagePath).body()).contains("No canary");
  }

  /** One hour of a stage's calls on one side, as metering writes it. */
  void metered(String apiId, boolean canary, long calls, long errors5xx, long latencySumMicros) {
    try (Connection c = db.meteringDataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO release_aggregates (tenant_id, api_id, stage, bucket_start, canary,"
                    + " calls, errors_5xx, latency_sum_micros, latency_max_micros)"
                    + " VALUES (?::uuid, ?, 'prod', date_trunc('hour', now()), ?, ?, ?, ?, ?)")) {
      s.setString(1, tenantId);
      s.setString(2, apiId);
      s.setBoolean(3, canary);
      s.setLong(4, calls);
      s.setLong(5, errors5xx);
      s.setLong(6, latencySumMicros);
      s.setLong(7, latencySumMicros / Math.max(1, calls) * 2);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_running_canary_shows_its_error_rate_and_latency_beside_the_base() {
    String apiId = fixture.api(tenantId);
    fixture.route(tenantId, apiId, fixture.integration(tenantId, apiId), "GET", "/pets");
    String prod = fixture.stage(tenantId, apiId, "prod");
    String beta = fixture.stage(tenantId, apiId, "beta");
    fixture.deploy(tenantId, apiId, prod);
    String candidate = fixture.deploy(tenantId, apiId, beta).getString("id");
    String stagePath = tenantPath + "apis/" + apiId + "/stages/" + prod;
    assertThat(owner.page(stagePath).body()).doesNotContain("canary-traffic");
    owner.post(stagePath + "/canary", canaryForm(candidate, "10"));
    metered(apiId, false, 900, 9, 900 * 20_000L);
    metered(apiId, true, 100, 25, 100 * 80_000L);

    String page = owner.page(stagePath).body();

    assertThat(page).contains("id=\"canary-traffic\"");
    String table = page.substring(page.indexOf("id=\"canary-traffic\""));
    assertThat(table.replaceAll("\\s+", " "))
        .containsPattern("Base</th> <td>900</td> <td>1.0%</td> <td>1.0%</td> <td>20.0 ms</td>")
        .containsPattern("Canary</th> <td>100</td> <td>25.0%</td> <td>25.0%</td> <td>80.0 ms</td>");
  }
}
