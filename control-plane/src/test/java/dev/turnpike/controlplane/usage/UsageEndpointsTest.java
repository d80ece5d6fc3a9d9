package dev.turnpike.controlplane.usage;

import static dev.turnpike.db.Tables.USAGE_AGGREGATES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GetUsage and app usage through the management API, over day aggregates as metering writes them.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageEndpointsTest {
  private static final LocalDate MONDAY = LocalDate.parse("2026-11-16");

  TestControlPlane cp;
  ApiClient api;
  DSLContext owner;
  String token;
  String tenant;
  String apiId;
  String app;
  String key;
  String otherKey;
  String daily;
  String weekly;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    api = cp.client();
    owner = db.ownerDsl();
    token = cp.token("owner-" + UUID.randomUUID());
    Fixture fx = new Fixture(api, token);
    tenant = fx.tenant();
    apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    daily = plan(fx, 100, "DAY");
    weekly = plan(fx, 1_000, "WEEK");
    app = fx.app(tenant);
    fx.subscribe(tenant, app, daily);
    key = fx.key(tenant, app).getString("id");
    otherKey = fx.key(tenant, app).getString("id");
    // Usage across two stages on one day: the report sums them.
    dayRow(daily, key, MONDAY, "prod", 20, 0, 0);
    dayRow(daily, key, MONDAY, "beta", 10, 0, 0);
    dayRow(daily, key, MONDAY.plusDays(2), "prod", 130, 10, 20);
    dayRow(daily, otherKey, MONDAY.plusDays(1), "prod", 5, 0, 0);
    dayRow(weekly, key, MONDAY, "prod", 400, 0, 0);
    dayRow(weekly, key, MONDAY.plusDays(3), "prod", 500, 0, 0);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  private String plan(Fixture fx, long limit, String period) {
    return fx.created(
            "/v1/tenants/" + tenant + "/usage-plans",
            new JsonObject()
                .put("name", period + " " + UUID.randomUUID())
                .put("quota", new JsonObject().put("limit", limit).put("period", period)))
        .getString("id");
  }

  private void dayRow(
      String plan,
      String keyId,
      LocalDate day,
      String stage,
      long calls,
      long throttled,
      long quotaExceeded) {
    owner
        .insertInto(USAGE_AGGREGATES)
        .set(USAGE_AGGREGATES.TENANT_ID, UUID.fromString(tenant))
        .set(USAGE_AGGREGATES.GRANULARITY, "day")
        .set(USAGE_AGGREGATES.BUCKET_START, day.atStartOfDay().atOffset(ZoneOffset.UTC))
        .set(USAGE_AGGREGATES.API_ID, apiId)
        .set(USAGE_AGGREGATES.STAGE, stage)
        .set(USAGE_AGGREGATES.KEY_ID, keyId)
        .set(USAGE_AGGREGATES.APP_ID, app)
        .set(USAGE_AGGREGATES.PLAN_ID, plan)
        .set(USAGE_AGGREGATES.CALLS, calls)
        .set(USAGE_AGGREGATES.ERRORS_4XX, throttled + quotaExceeded)
        .set(USAGE_AGGREGATES.THROTTLED, throttled)
        .set(USAGE_AGGREGATES.QUOTA_EXCEEDED, quotaExceeded)
        .execute();
  }

  private ApiClient.Answer planUsage(String who, String plan, String query) {
    return api.get(who, "/v1/tenants/" + tenant + "/usage-plans/" + plan + "/usage?" + query);
  }

  private static JsonArray day(long used, Long remaining) {
    return new JsonArray().add(used).add(remaining);
  }

  @Nested
  class GetUsage {
    @Test
    void answers_used_and_remaining_per_key_and_day_as_api_gateway_does() {
      ApiClient.Answer answer = planUsage(token, daily, "startDate=2026-11-16&endDate=2026-11-18");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      JsonObject usage = answer.json();
      assertThat(usage.getString("usagePlanId")).isEqualTo(daily);
      assertThat(usage.getString("startDate")).isEqualTo("2026-11-16");
      assertThat(usage.getString("endDate")).isEqualTo("2026-11-18");
      JsonObject items = usage.getJsonObject("values");
      // Calls turned away at the throttle or the quota gate do not use the quota.
      assertThat(items.getJsonArray(key))
          .isEqualTo(new JsonArray().add(day(30, 70L)).add(day(0, 100L)).add(day(100, 0L)));
      assertThat(items.getJsonArray(otherKey))
          .isEqualTo(new JsonArray().add(day(0, 100L)).add(day(5, 95L)).add(day(0, 100L)));
    }

    @Test
    void counts_a_weeks_use_before_the_start_date_against_what_remains() {
      JsonObject items =
          planUsage(token, weekly, "startDate=2026-11-19&endDate=2026-11-23")
              .json()
              .getJsonObject("values");

      // 400 used on Monday the 16th; 500 more on Thursday; the next week starts on the 23rd.
      assertThat(items.getJsonArray(key))
          .isEqualTo(
              new JsonArray()
                  .add(day(500, 100L))
                  .add(day(0, 100L))
                  .add(day(0, 100L))
                  .add(day(0, 100L))
                  .add(day(0, 1_000L)));
    }

    @Test
    void narrows_to_one_key_and_lists_it_even_without_use() {
      JsonObject items =
          planUsage(token, daily, "keyId=" + otherKey + "&startDate=2026-11-18&endDate=2026-11-18")
              .json()
              .getJsonObject("values");

      assertThat(items.fieldNames()).containsExactly(otherKey);
      assertThat(items.getJsonArray(otherKey)).isEqualTo(new JsonArray().add(day(0, 100L)));
    }

    @Test
    void rejects_a_malformed_or_reversed_range_with_400() {
      assertThat(planUsage(token, daily, "startDate=16-11-2026&endDate=2026-11-18").status())
          .isEqualTo(400);
      assertThat(planUsage(token, daily, "startDate=2026-11-18&endDate=2026-11-16").status())
          .isEqualTo(400);
      assertThat(planUsage(token, daily, "startDate=2025-01-01&endDate=2026-11-16").status())
          .isEqualTo(400);
      assertThat(planUsage(token, daily, "keyId=nope").status()).isEqualTo(400);
    }

    @Test
    void answers_404_for_a_plan_or_key_it_does_not_have() {
      assertThat(planUsage(token, UUID.randomUUID().toString(), "").status()).isEqualTo(404);
      assertThat(planUsage(token, daily, "keyId=" + UUID.randomUUID()).status()).isEqualTo(404);
    }
  }

  @Nested
  class AppUsage {
    @Test
    void lists_each_key_plan_and_day_with_its_counts() {
      ApiClient.Answer answer =
          api.get(
              token,
              "/v1/tenants/"
                  + tenant
                  + "/apps/"
                  + app
                  + "/usage?startDate=2026-11-18&endDate=2026-11-18");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      JsonArray days = answer.json().getJsonArray("days");
      assertThat(days).hasSize(1);
      JsonObject day = days.getJsonObject(0);
      assertThat(day.getString("keyId")).isEqualTo(key);
      assertThat(day.getString("planId")).isEqualTo(daily);
      assertThat(day.getString("day")).isEqualTo("2026-11-18");
      assertThat(day.getLong("calls")).isEqualTo(130);
      assertThat(day.getLong("quotaCalls")).isEqualTo(100);
      assertThat(day.getLong("throttled")).isEqualTo(10);
      assertThat(day.getLong("quotaExceeded")).isEqualTo(20);
    }
  }

  @Nested
  class Isolation {
    @Test
    void another_tenant_gets_404_for_this_tenants_plan_and_app_usage() {
      String stranger = cp.token("stranger-" + UUID.randomUUID());
      String theirTenant = new Fixture(api, stranger).tenant();

      assertThat(planUsage(stranger, daily, "").status()).isEqualTo(404);
      assertThat(
              api.get(stranger, "/v1/tenants/" + theirTenant + "/usage-plans/" + daily + "/usage")
                  .status())
          .isEqualTo(404);
      assertThat(
              api.get(stranger, "/v1/tenants/" + theirTenant + "/apps/" + app + "/usage").status())
          .isEqualTo(404);
    }
  }
}
