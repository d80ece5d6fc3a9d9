package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.AUDIT_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The management API: audit (on the control plane shared by every {@link
 * ManagementApiFeatureTest}).
 */
class ManagementApiAuditTest extends ManagementApiFeatureTest {
  @Test
  void every_change_is_listed_newest_first_with_before_and_after() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    api.put(
        token, "/v1/tenants/" + tenant + "/apis/" + apiId, new JsonObject().put("name", "Renamed"));
    var page = api.get(token, "/v1/tenants/" + tenant + "/audit?limit=2").json();
    JsonArray items = page.getJsonArray("items");
    assertThat(items).hasSize(2);
    JsonObject newest = items.getJsonObject(0);
    assertThat(newest.getString("action")).isEqualTo("api.update");
    assertThat(newest.getJsonObject("before").getString("name")).isEqualTo("Pets");
    assertThat(newest.getJsonObject("after").getString("name")).isEqualTo("Renamed");
    assertThat(newest.getString("actor")).endsWith("@example.com");
    var next =
        api.get(token, "/v1/tenants/" + tenant + "/audit?limit=2&before=" + page.getLong("next"))
            .json();
    assertThat(next.getJsonArray("items").getJsonObject(0).getString("action"))
        .isEqualTo("tenant.create");
    assertThat(next.getValue("next")).isNull();
  }

  @Test
  void a_refused_change_writes_no_audit_row_and_no_outbox_row() {
    String tenant = fx.tenant();
    int audit = owner.fetchCount(AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant)));
    var answer =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apis",
            new JsonObject().put("slug", "Bad Slug").put("name", "x"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(owner.fetchCount(AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant))))
        .isEqualTo(audit);
    assertThat(outbox(tenant)).isEmpty();
  }
}
