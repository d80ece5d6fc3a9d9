package dev.turnpike.controlplane.console;

import static dev.turnpike.db.Tables.ALARMS;
import static dev.turnpike.db.Tables.ALARM_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console's Alarms page of an API (on the console and organization shared by every {@link
 * ConsoleFeatureTest}): the form that creates, edits and deletes alarms with the management API's
 * rules, and each alarm's state and history.
 */
class AlarmPagesTest extends ConsoleFeatureTest {
  JsonObject onlyAlarm(String apiId) {
    var answer =
        cp.client().get(apiToken, "/v1/tenants/" + tenantId + "/apis/" + apiId + "/alarms");
    return answer.items().isEmpty() ? null : answer.items().getJsonObject(0);
  }

  static Map<String, String> form(String webhook) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", "prod 5xx");
    form.put("stage", "prod");
    form.put("metric", "error_rate_5xx");
    form.put("comparison", "gt");
    form.put("threshold", "2.5");
    form.put("windowMinutes", "10");
    form.put("webhookUrl", webhook);
    form.put("enabled", "on");
    return form;
  }

  @Test
  void an_owner_creates_edits_and_deletes_an_alarm_and_sees_its_state_and_history() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/alarms";
    assertThat(owner.page(tenantPath + "apis/" + apiId).body()).contains("/alarms\">Alarms</a>");
    assertThat(owner.page(page).body()).contains("Add an alarm").contains("No alarms yet.");

    HttpResponse<String> created = owner.post(page, form("https://hooks.example.com/turnpike"));

    // The answer itself shows the signing secret, once: no redirect carries it.
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(created.body())
        .contains("Alarm prod 5xx is saved.")
        .contains("Signing secret of prod 5xx")
        .contains("Stage prod: error_rate_5xx gt 2.5 over 10 min")
        .contains(">OK<");
    String secret = secretIn(created.body());
    assertThat(owner.page(page).body()).doesNotContain(secret).doesNotContain("Signing secret of");
    JsonObject saved = onlyAlarm(apiId);
    assertThat(saved.getDouble("threshold")).isEqualTo(2.5);
    String id = saved.getString("id");

    // What the evaluator writes on a change of state.
    var dsl = db.ownerDsl();
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
    dsl.update(ALARMS)
        .set(ALARMS.STATE, "firing")
        .set(ALARMS.STATE_VALUE, 12.5)
        .where(ALARMS.ID.eq(UUID.fromString(id)))
        .execute();
    dsl.insertInto(ALARM_HISTORY)
        .set(ALARM_HISTORY.ID, UUID.randomUUID())
        .set(ALARM_HISTORY.TENANT_ID, UUID.fromString(tenantId))
        .set(ALARM_HISTORY.ALARM_ID, UUID.fromString(id))
        .set(ALARM_HISTORY.AT, at)
        .set(ALARM_HISTORY.FROM_STATE, "ok")
        .set(ALARM_HISTORY.TO_STATE, "firing")
        .set(ALARM_HISTORY.VALUE, 12.5)
        .set(ALARM_HISTORY.WEBHOOK, "delivered 200")
        .execute();
    assertThat(owner.page(page).body())
        .contains(">FIRING<")
        .contains("Latest changes of state")
        .contains("12.50")
        .contains("delivered 200");

    String editing = owner.page(page + "/" + id).body();
    assertThat(editing).contains("Edit the alarm").contains("value=\"2.5\"");
    Map<String, String> changed = form("https://hooks.example.com/turnpike");
    changed.put("metric", "latency_mean_ms");
    changed.put("threshold", "800");
    changed.remove("enabled");
    HttpResponse<String> edited = owner.post(page + "/" + id, changed);
    assertThat(edited.statusCode()).isEqualTo(303);
    assertThat(owner.follow(edited).body())
        .contains("latency_mean_ms gt 800.0")
        .contains(">DISABLED<");
    assertThat(onlyAlarm(apiId).getBoolean("enabled")).isFalse();

    HttpResponse<String> rotated = owner.post(page + "/" + id + "/signing-secret", Map.of());
    assertThat(rotated.statusCode()).isEqualTo(200);
    assertThat(rotated.body()).contains("has a new signing secret");
    assertThat(secretIn(rotated.body())).isNotEqualTo(secret);

    HttpResponse<String> deleted = owner.post(page + "/" + id + "/delete", Map.of());
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(owner.follow(deleted).body()).contains("The alarm was deleted.");
    assertThat(onlyAlarm(apiId)).isNull();
  }

  static String secretIn(String html) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("whsec_[A-Za-z0-9_-]{43}").matcher(html);
    assertThat(m.find()).as("a signing secret on the page").isTrue();
    return m.group();
  }

  @Test
  void an_alarm_without_data_shows_insufficient_data_and_why() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/alarms";
    owner.post(page, form("https://hooks.example.com/turnpike"));
    String id = onlyAlarm(apiId).getString("id");
    var dsl = db.ownerDsl();
    dsl.update(ALARMS)
        .set(ALARMS.STATE, "insufficient_data")
        .where(ALARMS.ID.eq(UUID.fromString(id)))
        .execute();
    dsl.insertInto(ALARM_HISTORY)
        .set(ALARM_HISTORY.ID, UUID.randomUUID())
        .set(ALARM_HISTORY.TENANT_ID, UUID.fromString(tenantId))
        .set(ALARM_HISTORY.ALARM_ID, UUID.fromString(id))
        .set(ALARM_HISTORY.AT, OffsetDateTime.now(ZoneOffset.UTC))
        .set(ALARM_HISTORY.FROM_STATE, "ok")
        .set(ALARM_HISTORY.TO_STATE, "insufficient_data")
        .set(ALARM_HISTORY.REASON, "prometheus: no answer within 5000 ms")
        .execute();

    assertThat(owner.page(page).body())
        .contains(">INSUFFICIENT DATA<")
        .contains("prometheus: no answer within 5000 ms");
  }

  @Test
  void a_webhook_at_the_metadata_service_is_refused_beside_its_field_and_nothing_is_saved() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/alarms";
    Map<String, String> bad = form("http://169.254.169.254/latest/meta-data/");
    bad.put("windowMinutes", "0");

    HttpResponse<String> refused = owner.post(page, bad);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("egress policy")
        .contains("must be between 1 and 1440")
        // The form keeps what was sent.
        .contains("http://169.254.169.254/latest/meta-data/");
    assertThat(onlyAlarm(apiId)).isNull();
  }
}
