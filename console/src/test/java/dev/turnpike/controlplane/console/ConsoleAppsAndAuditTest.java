package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The owner console: apps and audit (on the console shared by every {@link ConsoleFeatureTest}).
 */
class ConsoleAppsAndAuditTest extends ConsoleFeatureTest {
  @Test
  void a_developers_key_is_listed_by_prefix_and_revoked_from_the_console() {
    String appId = fixture.app(tenantId);
    JsonObject key = fixture.key(tenantId, appId);

    HttpResponse<String> apps = owner.page(tenantPath + "apps");
    assertThat(apps.body())
        .contains("Mobile app")
        .contains(key.getString("prefix"))
        .doesNotContain(key.getString("key"));

    HttpResponse<String> revoked =
        owner.post(
            tenantPath + "apps/" + appId + "/keys/" + key.getString("id") + "/revoke", Map.of());

    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(
            api()
                .get(apiToken, v1("/apps/" + appId + "/keys/" + key.getString("id")))
                .json()
                .getString("status"))
        .isEqualTo("revoked");
  }

  @Test
  void a_subscription_waiting_for_approval_is_approved_from_the_console() {
    String apiId = fixture.api(tenantId);
    fixture.stage(tenantId, apiId, "gated");
    String planId =
        fixture
            .created(
                v1("/usage-plans"),
                new JsonObject()
                    .put("name", "Gated")
                    .put("requiresApproval", true)
                    .put(
                        "apiStages",
                        new JsonArray()
                            .add(new JsonObject().put("apiId", apiId).put("stage", "gated"))))
            .getString("id");
    String appId = fixture.app(tenantId);
    String subscriptionId = fixture.subscribe(tenantId, appId, planId);
    assertThat(owner.page(tenantPath + "apps").body()).contains("(pending_approval)");

    HttpResponse<String> approved =
        owner.post(
            tenantPath + "apps/" + appId + "/subscriptions/" + subscriptionId + "/approve",
            Map.of());

    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(
            api()
                .get(apiToken, v1("/apps/" + appId + "/subscriptions/" + subscriptionId))
                .json()
                .getString("status"))
        .isEqualTo("active");
    HttpResponse<String> again =
        owner.post(
            tenantPath + "apps/" + appId + "/subscriptions/" + subscriptionId + "/approve",
            Map.of());
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("Only a subscription pending approval can be approved");
  }

  @Test
  void the_audit_log_shows_what_the_console_changed_and_who() {
    owner.post(tenantPath + "apis", Map.of("name", "Audited", "slug", "audited"));

    HttpResponse<String> audit = owner.page(tenantPath + "audit");

    assertThat(audit.statusCode()).isEqualTo(200);
    // The newest entry comes first; older ones, such as tenant.create, may be on later pages.
    assertThat(audit.body())
        .containsPattern("<td>demo-owner@example.com</td>\\s*<td><code>api.create</code></td>");
  }

  @Test
  void the_audit_log_pages_through_older_entries() {
    for (int i = 0; i < 51; i++) {
      fixture.app(tenantId);
    }

    HttpResponse<String> first = owner.page(tenantPath + "audit");
    java.util.regex.Matcher older =
        java.util.regex.Pattern.compile("href=\"(/console/t/[^\"]+/audit\\?before=(\\d+))\"")
            .matcher(first.body());
    assertThat(older.find()).as("a link to older entries").isTrue();
    HttpResponse<String> second = owner.page(older.group(1));

    assertThat(first.body().split("<tr>", -1)).hasSize(1 + 1 + 50);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).contains("Newest").contains("app.create");
    assertThat(owner.get(tenantPath + "audit?before=nonsense").statusCode()).isEqualTo(400);
  }

  @Test
  void the_dashboard_sums_the_last_days_metered_traffic_per_stage() throws SQLException {
    String apiId = fixture.api(tenantId);
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    aggregate(apiId, "prod", hour.minus(2, ChronoUnit.HOURS), 40, 3, 1);
    aggregate(apiId, "prod", hour, 2, 0, 0);
    aggregate(apiId, "prod", hour.minus(30, ChronoUnit.HOURS), 1000, 0, 0);

    HttpResponse<String> dashboard = owner.page(tenantPath);

    assertThat(dashboard.body())
        .containsPattern(
            "<td>prod</td>\\s*<td class=\"num\">42</td>\\s*<td class=\"num\">3</td>\\s*<td class=\"num\">1</td>");
  }

  void aggregate(String apiId, String stage, Instant bucket, long calls, long e4, long e5)
      throws SQLException {
    try (Connection c = db.systemDataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO usage_aggregates (tenant_id, granularity, bucket_start, api_id,"
                    + " stage, key_id, app_id, plan_id, calls, errors_4xx, errors_5xx)"
                    + " VALUES (?::uuid, 'hour', ?, ?, ?, 'k', 'a', 'p', ?, ?, ?)")) {
      s.setString(1, tenantId);
      s.setTimestamp(2, Timestamp.from(bucket));
      s.setString(3, apiId);
      s.setString(4, stage);
      s.setLong(5, calls);
      s.setLong(6, e4);
      s.setLong(7, e5);
      s.executeUpdate();
    }
  }
}
