package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.PlanRecord;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The owner console: plans (on the console shared by every {@link ConsoleFeatureTest}). */
class ConsolePlansTest extends ConsoleFeatureTest {
  @Test
  void a_plan_with_tiers_throttle_and_quota_is_bound_to_an_api_stage() {
    String apiId = fixture.api(tenantId);
    fixture.stage(tenantId, apiId, "live");
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", "Growth");
    form.put("status", "active");
    form.put("throttle.rate", "25");
    form.put("throttle.burst", "50");
    form.put("quota.limit", "100000");
    form.put("quota.period", "MONTH");
    form.put("pricing.model", "graduated");
    form.put("pricing.currency", "usd");
    form.put("pricing.flatFee", "19.90");
    form.put("tier.0.upTo", "1000");
    form.put("tier.0.unitPrice", "0");
    form.put("tier.1.unitPrice", "0.002");
    form.put("stage", apiId + "/live");

    HttpResponse<String> answer = owner.post(tenantPath + "plans", form);

    assertThat(answer.statusCode()).isEqualTo(303);
    JsonObject plan =
        api().get(apiToken, v1("/usage-plans")).items().stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("name").equals("Growth"))
            .findFirst()
            .orElseThrow();
    assertThat(plan.getJsonObject("throttle").getDouble("rateLimit")).isEqualTo(25.0);
    assertThat(plan.getJsonObject("quota").getLong("limit")).isEqualTo(100_000L);
    JsonObject pricing = plan.getJsonObject("pricing");
    assertThat(pricing.getLong("flatFeeCents")).isEqualTo(1990L);
    assertThat(pricing.getJsonArray("tiers").getJsonObject(1).getLong("unitPriceMicros"))
        .isEqualTo(2000L);
    assertThat(plan.getJsonArray("apiStages").getJsonObject(0).getString("stage"))
        .isEqualTo("live");

    HttpResponse<String> edit = owner.page(tenantPath + "plans/" + plan.getString("id"));
    assertThat(edit.body()).contains("value=\"19.9\"").contains("value=\"0.002\"");
    assertThat(edit.body()).containsPattern("value=\"" + apiId + "/live\"[^>]*checked");
  }

  @Test
  void a_plan_counted_per_subscription_reaches_the_api_and_the_gateways_plan_record() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", "Team " + UUID.randomUUID());
    form.put("status", "active");
    form.put("limitScope", "subscription");
    form.put("quota.limit", "500");
    form.put("quota.period", "DAY");
    form.put("pricing.model", "free");
    form.put("pricing.currency", "usd");

    HttpResponse<String> answer = owner.post(tenantPath + "plans", form);

    assertThat(answer.statusCode()).isEqualTo(303);
    JsonObject plan =
        api().get(apiToken, v1("/usage-plans")).items().stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("name").equals(form.get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(plan.getString("limitScope")).isEqualTo("subscription");
    PlanRecord record =
        PlanRecord.CODEC.decode(
            lastOutbox(Topics.PLANS, Topics.planKey(tenantId, plan.getString("id"))));
    assertThat(record.limitScope())
        .isEqualTo(dev.turnpike.contracts.config.LimitScope.SUBSCRIPTION);
    assertThat(owner.page(tenantPath + "plans/" + plan.getString("id")).body())
        .containsPattern("value=\"subscription\"[^>]*selected");

    form.put("limitScope", "per-app");
    HttpResponse<String> refused = owner.post(tenantPath + "plans", form);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern("id=\"plan-scope\"[\\s\\S]*?class=\"error\">must be key");
  }
}
