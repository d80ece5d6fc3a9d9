package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.API_ID;
import static dev.turnpike.gateway.http.Fixtures.TENANT_ID;
import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaCalendar;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.quota.QuotaStateUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A plan counts per key (API Gateway's rule) or per subscription: then every key of one app draws
 * on one throttle bucket and one quota, so minting keys multiplies neither. Other apps' keys keep
 * their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionLimitsTest {
  static final String FIRST = "tpk_first00000000000000000000000000000000";
  static final String SECOND = "tpk_second0000000000000000000000000000000";
  static final String OTHER_APP = "tpk_otherapp00000000000000000000000000000";
  static final String PATH = "/acme/pets/prod/pets";

  GatewayRig gateway;
  int loads;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  static KeyRecord key(String plain, String keyId, String appId, String planId) {
    return new KeyRecord(
        1,
        ApiKeyHash.sha256Hex(plain),
        keyId,
        plain.substring(0, 8),
        TENANT_ID,
        appId,
        List.of(planId),
        KeyStatus.ENABLED,
        null);
  }

  /** Loads the API with a plan of a fresh id (so counts start over) and returns the id. */
  String load(LimitScope scope, ThrottleLimit throttle, Long dailyQuota) {
    String planId = "plan-" + scope + "-" + ++loads;
    gateway.load(
        List.of(deployment("prod", List.of(route("GET", "/pets", true, mock(200, "[]"))))),
        List.of(
            key(FIRST, "key-first-" + loads, "app-a", planId),
            key(SECOND, "key-second-" + loads, "app-a", planId),
            key(OTHER_APP, "key-other-" + loads, "app-b", planId)),
        List.of(
            new PlanRecord(
                1,
                TENANT_ID,
                planId,
                planId,
                throttle,
                dailyQuota == null ? null : new QuotaLimit(dailyQuota, 0, QuotaPeriod.DAY),
                List.of(new PlanStage(API_ID, "prod", null, Map.of())),
                scope)));
    return planId;
  }

  int call(String key) throws Exception {
    return gateway.get(PATH, Map.of("x-api-key", key)).status();
  }

  @Nested
  class Quotas {
    @Test
    void per_subscription_the_apps_keys_share_one_quota_and_another_app_keeps_its_own()
        throws Exception {
      load(LimitScope.SUBSCRIPTION, null, 3L);

      assertThat(call(FIRST)).isEqualTo(200);
      assertThat(call(SECOND)).isEqualTo(200);
      assertThat(call(FIRST)).isEqualTo(200);
      var refused = gateway.get(PATH, Map.of("x-api-key", SECOND));

      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.json().getString("message")).isEqualTo("Limit Exceeded");
      assertThat(call(FIRST)).isEqualTo(429);
      assertThat(call(OTHER_APP)).isEqualTo(200);
    }

    @Test
    void per_key_each_key_has_its_own_quota_as_api_gateway_counts() throws Exception {
      load(LimitScope.KEY, null, 2L);

      assertThat(List.of(call(FIRST), call(FIRST), call(FIRST))).containsExactly(200, 200, 429);
      assertThat(List.of(call(SECOND), call(SECOND), call(SECOND))).containsExactly(200, 200, 429);
    }

    @Test
    void meterings_count_for_the_subscription_holds_every_key_of_the_app() throws Exception {
      String planId = load(LimitScope.SUBSCRIPTION, null, 100L);
      Instant now = Instant.now();
      QuotaWindow day = QuotaCalendar.windowContaining(QuotaPeriod.DAY, now);

      gateway.quotas.apply(
          new QuotaStateUpdate(
              Topics.quotaKey(LimitScope.SUBSCRIPTION.subject("ignored", "app-a"), planId),
              day,
              100,
              true));

      assertThat(call(FIRST)).isEqualTo(429);
      assertThat(call(SECOND)).isEqualTo(429);
      assertThat(call(OTHER_APP)).isEqualTo(200);
    }
  }

  @Nested
  class Throttles {
    @Test
    void per_subscription_the_apps_keys_share_one_bucket() throws Exception {
      load(LimitScope.SUBSCRIPTION, new ThrottleLimit(0.001, 2), null);

      assertThat(call(FIRST)).isEqualTo(200);
      assertThat(call(SECOND)).isEqualTo(200);
      assertThat(call(FIRST)).isEqualTo(429);
      assertThat(call(SECOND)).isEqualTo(429);
      assertThat(call(OTHER_APP)).isEqualTo(200);
    }

    @Test
    void per_key_each_key_has_its_own_bucket() throws Exception {
      load(LimitScope.KEY, new ThrottleLimit(0.001, 1), null);

      assertThat(call(FIRST)).isEqualTo(200);
      assertThat(call(FIRST)).isEqualTo(429);
      assertThat(call(SECOND)).isEqualTo(200);
    }
  }
}
