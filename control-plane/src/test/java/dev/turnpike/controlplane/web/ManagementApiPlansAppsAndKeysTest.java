package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The management API: plans apps and keys (on the control plane shared by every {@link
 * ManagementApiFeatureTest}).
 */
class ManagementApiPlansAppsAndKeysTest extends ManagementApiFeatureTest {
  @Test
  void a_plan_publishes_its_gateway_record_and_a_delete_its_tombstone() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    var plan =
        fx.created(
            "/v1/tenants/" + tenant + "/usage-plans",
            new JsonObject()
                .put("name", "Gold")
                .put("throttle", new JsonObject().put("rateLimit", 10).put("burstLimit", 20))
                .put(
                    "quota",
                    new JsonObject().put("limit", 1000).put("offset", 10).put("period", "MONTH"))
                .put(
                    "pricing",
                    new JsonObject()
                        .put("model", "graduated")
                        .put("currency", "eur")
                        .put(
                            "tiers",
                            new JsonArray()
                                .add(new JsonObject().put("upTo", 1000).put("unitPriceMicros", 0))
                                .add(new JsonObject().put("unitPriceMicros", 100))))
                .put(
                    "apiStages",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("apiId", apiId)
                                .put("stage", "prod")
                                .put(
                                    "methodThrottles",
                                    new JsonObject()
                                        .put(
                                            "/pets/GET",
                                            new JsonObject()
                                                .put("rateLimit", 2)
                                                .put("burstLimit", 4))))));
    String planId = plan.getString("id");
    assertThat(plan.getJsonObject("pricing").getJsonArray("tiers")).hasSize(2);
    PlanRecord record =
        PlanRecord.CODEC.decode(
            lastOutbox(tenant, Topics.PLANS, Topics.planKey(tenant, planId)).value3());
    assertThat(record.quota().limit()).isEqualTo(1000);
    assertThat(record.apiStages()).hasSize(1);
    assertThat(record.apiStages().getFirst().stage()).isEqualTo("prod");
    assertThat(record.apiStages().getFirst().methodThrottles().get("/pets/GET").rateLimit())
        .isEqualTo(2);

    assertThat(api.delete(token, "/v1/tenants/" + tenant + "/usage-plans/" + planId).status())
        .isEqualTo(204);
    assertThat(lastOutbox(tenant, Topics.PLANS, Topics.planKey(tenant, planId)).value3()).isNull();
  }

  @Test
  void a_plans_websocket_connection_limit_and_prices_are_stored_and_the_limit_published() {
    String tenant = fx.tenant();
    var plan =
        fx.created(
            "/v1/tenants/" + tenant + "/usage-plans",
            new JsonObject()
                .put("name", "Chat")
                .put("maxConnectionsPerKey", 3)
                .put(
                    "pricing",
                    new JsonObject()
                        .put("model", "flat")
                        .put("currency", "usd")
                        .put("flatFeeCents", 1000)
                        .put("messagePricePerMillionMicros", 1_000_000)
                        .put("connectionMinutePricePerMillionMicros", 250_000)));
    String planId = plan.getString("id");

    JsonObject read = api.get(token, "/v1/tenants/" + tenant + "/usage-plans/" + planId).json();
    assertThat(read.getInteger("maxConnectionsPerKey")).isEqualTo(3);
    assertThat(read.getJsonObject("pricing").getLong("messagePricePerMillionMicros"))
        .isEqualTo(1_000_000L);
    assertThat(read.getJsonObject("pricing").getLong("connectionMinutePricePerMillionMicros"))
        .isEqualTo(250_000L);
    PlanRecord record =
        PlanRecord.CODEC.decode(
            lastOutbox(tenant, Topics.PLANS, Topics.planKey(tenant, planId)).value3());
    assertThat(record.maxConnectionsPerKey()).isEqualTo(3);
  }

  @Test
  void a_plan_bound_to_a_missing_stage_is_refused() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    var answer =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/usage-plans",
            new JsonObject()
                .put("name", "Gold")
                .put(
                    "apiStages",
                    new JsonArray()
                        .add(new JsonObject().put("apiId", apiId).put("stage", "nope"))));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/apiStages/0/stage");
  }

  @Test
  void a_new_key_is_shown_once_and_stored_only_as_hash_and_prefix() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    String planId = fx.plan(tenant, apiId, "prod");
    String appId = fx.app(tenant);
    fx.subscribe(tenant, appId, planId);
    JsonObject issued = fx.key(tenant, appId);
    String plain = issued.getString("key");
    assertThat(plain).startsWith("tpk_");
    assertThat(issued.getString("prefix")).isEqualTo(plain.substring(0, 8));

    var listed = api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId + "/keys");
    assertThat(listed.body()).doesNotContain(plain);
    JsonObject shown = listed.items().getJsonObject(0);
    assertThat(shown.fieldNames())
        .contains("prefix", "status", "createdAt", "expiresAt", "lastUsedAt")
        .doesNotContain("key");
    assertThat(owner.fetchCount(API_KEYS, API_KEYS.KEY_HASH.eq(ApiKeyHash.sha256Hex(plain))))
        .isEqualTo(1);
    assertThat(owner.select(API_KEYS.fields()).from(API_KEYS).fetch().formatJSON())
        .doesNotContain(plain);

    KeyRecord record =
        KeyRecord.CODEC.decode(
            lastOutbox(tenant, Topics.KEYS, ApiKeyHash.sha256Hex(plain)).value3());
    assertThat(record.status()).isEqualTo(KeyStatus.ENABLED);
    assertThat(record.planIds()).containsExactly(planId);
    assertThat(record.appId()).isEqualTo(appId);
  }

  @Test
  void rotating_keeps_the_old_key_valid_for_the_grace_period() {
    String tenant = fx.tenant();
    String appId = fx.app(tenant);
    JsonObject old = fx.key(tenant, appId);
    Instant before = Instant.now();
    var rotated =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/" + old.getString("id") + "/rotate",
            new JsonObject().put("gracePeriodSeconds", 3600));
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
    JsonObject fresh = rotated.json();
    assertThat(fresh.getString("key")).isNotEqualTo(old.getString("key"));
    assertThat(fresh.getString("rotatedFrom")).isEqualTo(old.getString("id"));
    Instant graceEnd = Instant.parse(fresh.getJsonObject("previous").getString("expiresAt"));
    assertThat(graceEnd)
        .isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));

    KeyRecord oldRecord =
        KeyRecord.CODEC.decode(
            lastOutbox(tenant, Topics.KEYS, ApiKeyHash.sha256Hex(old.getString("key"))).value3());
    assertThat(oldRecord.status()).isEqualTo(KeyStatus.ENABLED);
    assertThat(oldRecord.expiresAt()).isEqualTo(graceEnd);
    assertThat(oldRecord.usableAt(Instant.now())).isTrue();
    assertThat(oldRecord.usableAt(graceEnd.plusSeconds(1))).isFalse();
    assertThat(api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId + "/keys").items())
        .hasSize(2);
  }

  /** The attack: an owner disabled the key; rotating it must not hand out a working one. */
  @Test
  void rotating_a_disabled_key_issues_a_disabled_key_the_gateway_refuses() {
    String tenant = fx.tenant();
    String appId = fx.app(tenant);
    JsonObject old = fx.key(tenant, appId);
    String keyPath = "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/" + old.getString("id");
    assertThat(api.post(token, keyPath + "/disable", null).status()).isEqualTo(200);

    var rotated = api.post(token, keyPath + "/rotate", new JsonObject());

    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
    assertThat(rotated.json().getString("status")).isEqualTo("disabled");
    KeyRecord fresh =
        KeyRecord.CODEC.decode(
            lastOutbox(tenant, Topics.KEYS, ApiKeyHash.sha256Hex(rotated.json().getString("key")))
                .value3());
    assertThat(fresh.status()).isEqualTo(KeyStatus.DISABLED);
    assertThat(fresh.usableAt(Instant.now())).isFalse();
  }

  @Test
  void rotating_a_key_of_a_suspended_app_issues_one_the_gateway_holds_as_suspended() {
    String tenant = fx.tenant();
    String appId = fx.app(tenant);
    JsonObject old = fx.key(tenant, appId);
    String appPath = "/v1/tenants/" + tenant + "/apps/" + appId;
    assertThat(
            api.put(
                    token,
                    appPath,
                    new JsonObject().put("name", "Mobile app").put("status", "suspended"))
                .status())
        .isEqualTo(200);

    var rotated =
        api.post(token, appPath + "/keys/" + old.getString("id") + "/rotate", new JsonObject());

    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
    KeyRecord fresh =
        KeyRecord.CODEC.decode(
            lastOutbox(tenant, Topics.KEYS, ApiKeyHash.sha256Hex(rotated.json().getString("key")))
                .value3());
    assertThat(fresh.status()).isEqualTo(KeyStatus.SUSPENDED);
  }

  @Test
  void a_key_issued_while_a_payment_has_failed_is_suspended_like_the_apps_other_keys() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    String planId = fx.plan(tenant, apiId, "prod");
    String appId = fx.app(tenant);
    String subscriptionId = fx.subscribe(tenant, appId, planId);
    // What billing writes when Stripe reports a failed payment, and the standing the control
    // plane applies from billing's decision (the key reads the standing).
    owner
        .update(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.STATUS, "suspended")
        .where(SUBSCRIPTIONS.ID.eq(UUID.fromString(subscriptionId)))
        .execute();
    owner
        .insertInto(APP_BILLING_STANDINGS)
        .set(APP_BILLING_STANDINGS.TENANT_ID, UUID.fromString(tenant))
        .set(APP_BILLING_STANDINGS.APP_ID, UUID.fromString(appId))
        .set(APP_BILLING_STANDINGS.STANDING, "suspended")
        .set(APP_BILLING_STANDINGS.REVISION, 1L)
        .set(APP_BILLING_STANDINGS.DECIDED_AT, OffsetDateTime.now(ZoneOffset.UTC))
        .execute();

    JsonObject issued = fx.key(tenant, appId);

    assertThat(issued.getString("status")).isEqualTo("suspended");
    KeyRecord record =
        KeyRecord.CODEC.decode(
            lastOutbox(tenant, Topics.KEYS, ApiKeyHash.sha256Hex(issued.getString("key")))
                .value3());
    assertThat(record.status()).isEqualTo(KeyStatus.SUSPENDED);
  }

  @Test
  void revoking_a_key_publishes_it_revoked() {
    String tenant = fx.tenant();
    String appId = fx.app(tenant);
    JsonObject key = fx.key(tenant, appId);
    var revoked =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/" + key.getString("id") + "/revoke",
            null);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    KeyRecord record =
        KeyRecord.CODEC.decode(
            lastOutbox(tenant, Topics.KEYS, ApiKeyHash.sha256Hex(key.getString("key"))).value3());
    assertThat(record.status()).isEqualTo(KeyStatus.REVOKED);
    var rotate =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/" + key.getString("id") + "/rotate",
            new JsonObject());
    assertThat(rotate.status()).isEqualTo(409);
  }

  @Test
  void a_plans_prices_are_frozen_once_it_is_subscribed_while_its_limits_may_change() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    String planId = fx.plan(tenant, apiId, "prod");
    String path = "/v1/tenants/" + tenant + "/usage-plans/" + planId;
    JsonObject perRequest =
        new JsonObject()
            .put("name", "Metered")
            .put("throttle", new JsonObject().put("rateLimit", 10).put("burstLimit", 20))
            .put(
                "pricing",
                new JsonObject().put("model", "per_request").put("unitPriceMicros", 1_000))
            .put(
                "apiStages",
                new JsonArray().add(new JsonObject().put("apiId", apiId).put("stage", "prod")));
    assertThat(api.put(token, path, perRequest).status()).isEqualTo(200);
    fx.subscribe(tenant, fx.app(tenant), planId);

    var repriced =
        api.put(
            token,
            path,
            perRequest
                .copy()
                .put(
                    "pricing",
                    new JsonObject().put("model", "per_request").put("unitPriceMicros", 2_000)));

    assertThat(repriced.status()).isEqualTo(409);
    assertThat(repriced.json().getString("detail")).contains("create a plan with the new prices");
    assertThat(api.get(token, path).json().getJsonObject("pricing").getLong("unitPriceMicros"))
        .isEqualTo(1_000L);
    var throttled =
        api.put(
            token,
            path,
            perRequest
                .copy()
                .put("throttle", new JsonObject().put("rateLimit", 5).put("burstLimit", 5)));
    assertThat(throttled.status()).isEqualTo(200);
  }

  @Test
  void subscriptions_change_the_plans_on_the_apps_keys() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    fx.stage(tenant, apiId, "prod");
    String planId = fx.plan(tenant, apiId, "prod");
    String appId = fx.app(tenant);
    JsonObject key = fx.key(tenant, appId);
    String hash = ApiKeyHash.sha256Hex(key.getString("key"));
    assertThat(KeyRecord.CODEC.decode(lastOutbox(tenant, Topics.KEYS, hash).value3()).planIds())
        .isEmpty();
    String subscription = fx.subscribe(tenant, appId, planId);
    assertThat(KeyRecord.CODEC.decode(lastOutbox(tenant, Topics.KEYS, hash).value3()).planIds())
        .containsExactly(planId);
    var duplicate =
        api.post(
            token,
            "/v1/tenants/" + tenant + "/apps/" + appId + "/subscriptions",
            new JsonObject().put("planId", planId));
    assertThat(duplicate.status()).isEqualTo(409);
    var cancelled =
        api.delete(
            token, "/v1/tenants/" + tenant + "/apps/" + appId + "/subscriptions/" + subscription);
    assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");
    assertThat(KeyRecord.CODEC.decode(lastOutbox(tenant, Topics.KEYS, hash).value3()).planIds())
        .isEmpty();
  }

  @Test
  void suspending_an_app_suspends_its_keys_and_deleting_it_withdraws_them() {
    String tenant = fx.tenant();
    String appId = fx.app(tenant);
    JsonObject key = fx.key(tenant, appId);
    String hash = ApiKeyHash.sha256Hex(key.getString("key"));
    var suspended =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/apps/" + appId,
            new JsonObject().put("name", "Mobile app").put("status", "suspended"));
    assertThat(suspended.status()).isEqualTo(200);
    assertThat(KeyRecord.CODEC.decode(lastOutbox(tenant, Topics.KEYS, hash).value3()).status())
        .isEqualTo(KeyStatus.SUSPENDED);
    assertThat(api.delete(token, "/v1/tenants/" + tenant + "/apps/" + appId).status())
        .isEqualTo(204);
    assertThat(lastOutbox(tenant, Topics.KEYS, hash).value3()).isNull();
    assertThat(api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId).status()).isEqualTo(404);
  }

  @Test
  void a_plan_needing_approval_activates_only_when_approved() {
    String tenant = fx.tenant();
    var plan =
        fx.created(
            "/v1/tenants/" + tenant + "/usage-plans",
            new JsonObject().put("name", "Partner").put("requiresApproval", true));
    String appId = fx.app(tenant);
    String sub = fx.subscribe(tenant, appId, plan.getString("id"));
    String path = "/v1/tenants/" + tenant + "/apps/" + appId + "/subscriptions/" + sub;
    assertThat(api.get(token, path).json().getString("status")).isEqualTo("pending_approval");
    assertThat(api.post(token, path + "/approve", null).json().getString("status"))
        .isEqualTo("active");
  }
}
