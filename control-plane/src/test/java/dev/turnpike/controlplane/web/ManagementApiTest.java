package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.AUDIT_LOG;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementApiTest {
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

  /** The outbox rows of a tenant, oldest first: topic, key, payload. */
  List<Record3<String, String, byte[]>> outbox(String tenant) {
    return owner
        .select(OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
        .from(OUTBOX)
        .where(OUTBOX.TENANT_ID.eq(UUID.fromString(tenant)))
        .orderBy(OUTBOX.ID)
        .fetch();
  }

  Record3<String, String, byte[]> lastOutbox(String tenant, String topic, String key) {
    return outbox(tenant).stream()
        .filter(r -> r.value1().equals(topic) && r.value2().equals(key))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no outbox row for " + topic + " " + key));
  }

  int auditCount(String tenant, String action) {
    return owner.fetchCount(
        AUDIT_LOG, AUDIT_LOG.TENANT_ID.eq(UUID.fromString(tenant)), AUDIT_LOG.ACTION.eq(action));
  }

  @Nested
  class TenantsAndMembers {
    @Test
    void creating_a_tenant_makes_the_caller_its_owner() {
      String tenant = fx.tenant();
      var mine = api.get(token, "/v1/tenants").items();
      assertThat(mine.stream().map(o -> ((JsonObject) o).getString("id"))).contains(tenant);
      var got = api.get(token, "/v1/tenants/" + tenant).json();
      assertThat(got.getString("role")).isEqualTo("owner");
      var members = api.get(token, "/v1/tenants/" + tenant + "/members").items();
      assertThat(members).hasSize(1);
      assertThat(auditCount(tenant, "tenant.create")).isEqualTo(1);
    }

    @Test
    void a_taken_slug_is_a_conflict() {
      String slug = "dup-" + UUID.randomUUID().toString().substring(0, 6);
      fx.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "One"));
      var again =
          api.post(token, "/v1/tenants", new JsonObject().put("slug", slug).put("name", "Two"));
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.json().getString("type"))
          .isEqualTo("https://turnpike.dev/problems/conflict");
    }

    @Test
    void viewers_read_but_cannot_change_anything() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String viewerToken = cp.token("viewer-" + UUID.randomUUID());
      String viewerId = api.get(viewerToken, "/v1/me").json().getString("id");
      var added =
          api.put(
              token,
              "/v1/tenants/" + tenant + "/members/" + viewerId,
              new JsonObject().put("role", "viewer"));
      assertThat(added.status()).as(added.toString()).isEqualTo(200);

      assertThat(api.get(viewerToken, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
          .isEqualTo(200);
      var create =
          api.post(
              viewerToken,
              "/v1/tenants/" + tenant + "/apis",
              new JsonObject().put("slug", "nope").put("name", "No"));
      assertThat(create.status()).isEqualTo(403);
      assertThat(create.json().getString("type"))
          .isEqualTo("https://turnpike.dev/problems/forbidden");
      assertThat(api.delete(viewerToken, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
          .isEqualTo(403);
      assertThat(
              api.post(
                      viewerToken,
                      "/v1/tenants/" + tenant + "/apps",
                      new JsonObject().put("name", "x"))
                  .status())
          .isEqualTo(403);
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
          .isEqualTo(200);
    }

    @Test
    void the_last_owner_cannot_leave() {
      String tenant = fx.tenant();
      String me = api.get(token, "/v1/me").json().getString("id");
      var answer = api.delete(token, "/v1/tenants/" + tenant + "/members/" + me);
      assertThat(answer.status()).isEqualTo(409);
    }
  }

  @Nested
  class ApisIntegrationsRoutes {
    @Test
    void an_api_is_created_read_updated_and_deleted() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      var updated =
          api.put(
              token,
              "/v1/tenants/" + tenant + "/apis/" + apiId,
              new JsonObject()
                  .put("name", "Pets v2")
                  .put("binaryMediaTypes", new JsonArray().add("image/png"))
                  .put(
                      "gatewayResponses",
                      new JsonObject()
                          .put(
                              "THROTTLED",
                              new JsonObject()
                                  .put("statusCode", 429)
                                  .put("body", "{\"m\":\"slow\"}"))));
      assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
      assertThat(
              api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).json().getString("name"))
          .isEqualTo("Pets v2");
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis").items()).hasSize(1);
      assertThat(api.delete(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
          .isEqualTo(204);
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
          .isEqualTo(404);
      assertThat(auditCount(tenant, "api.create")).isEqualTo(1);
      assertThat(auditCount(tenant, "api.update")).isEqualTo(1);
      assertThat(auditCount(tenant, "api.delete")).isEqualTo(1);
    }

    @Test
    void gateway_response_headers_the_gateway_could_not_send_are_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      var answer =
          api.put(
              token,
              "/v1/tenants/" + tenant + "/apis/" + apiId,
              new JsonObject()
                  .put("name", "Pets")
                  .put(
                      "gatewayResponses",
                      new JsonObject()
                          .put(
                              "DEFAULT_4XX",
                              new JsonObject()
                                  .put(
                                      "headers",
                                      new JsonObject()
                                          .put("Retry-After", "10")
                                          .put("Bad Name", "x")
                                          .put("X-Split", "a\r\nSet-Cookie: b")))));
      assertThat(answer.status()).isEqualTo(400);
      assertThat(
              answer.json().getJsonArray("errors").stream()
                  .map(e -> ((JsonObject) e).getString("pointer")))
          .containsExactlyInAnyOrder(
              "/gatewayResponses/DEFAULT_4XX/headers/Bad Name",
              "/gatewayResponses/DEFAULT_4XX/headers/X-Split");
      assertThat(auditCount(tenant, "api.update")).isZero();
    }

    @Test
    void routes_follow_api_gateway_resource_rules() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      fx.route(tenant, apiId, integration, "GET", "/pets/{petId}");
      fx.route(tenant, apiId, integration, "ANY", "/{proxy+}");
      String routes = "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes";
      var siblingVariable =
          api.post(
              token,
              routes,
              new JsonObject()
                  .put("method", "GET")
                  .put("resourcePath", "/pets/{id}")
                  .put("integrationId", integration));
      assertThat(siblingVariable.status()).isEqualTo(400);
      assertThat(
              siblingVariable.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/resourcePath");
      var greedyNotLast =
          api.post(
              token,
              routes,
              new JsonObject()
                  .put("method", "GET")
                  .put("resourcePath", "/{p+}/x")
                  .put("integrationId", integration));
      assertThat(greedyNotLast.status()).isEqualTo(400);
      var duplicate =
          api.post(
              token,
              routes,
              new JsonObject()
                  .put("method", "GET")
                  .put("resourcePath", "/pets/{petId}")
                  .put("integrationId", integration));
      assertThat(duplicate.status()).isEqualTo(409);
      var badMethod =
          api.post(
              token,
              routes,
              new JsonObject()
                  .put("method", "FETCH")
                  .put("resourcePath", "/a")
                  .put("integrationId", integration));
      assertThat(badMethod.status()).isEqualTo(400);
      assertThat(api.get(token, routes).items()).hasSize(2);
    }

    @Test
    void an_integration_in_use_cannot_be_deleted() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      fx.route(tenant, apiId, integration, "GET", "/pets");
      var answer =
          api.delete(
              token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations/" + integration);
      assertThat(answer.status()).isEqualTo(409);
    }

    @Test
    void integrations_are_validated_by_type() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String path = "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations";
      var noUri =
          api.post(token, path, new JsonObject().put("type", "http").put("httpMethod", "GET"));
      assertThat(noUri.status()).isEqualTo(400);
      assertThat(noUri.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/uri");
      var tooSlow =
          api.post(
              token,
              path,
              new JsonObject()
                  .put("type", "http_proxy")
                  .put("httpMethod", "GET")
                  .put("uri", "https://x.example.com")
                  .put("timeoutMillis", 30000));
      assertThat(tooSlow.status()).isEqualTo(400);
      var aws = api.post(token, path, new JsonObject().put("type", "aws_proxy"));
      assertThat(aws.status()).isEqualTo(400);
      var mock =
          api.post(
              token,
              path,
              new JsonObject()
                  .put("type", "mock")
                  .put("mock", new JsonObject().put("statusCode", 200).put("body", "{}")));
      assertThat(mock.status()).as(mock.toString()).isEqualTo(201);
      var stageVariableUri =
          api.post(
              token,
              path,
              new JsonObject()
                  .put("type", "http")
                  .put("httpMethod", "GET")
                  .put("uri", "https://${stageVariables.host}/pets/{id}"));
      assertThat(stageVariableUri.status()).as(stageVariableUri.toString()).isEqualTo(201);
    }
  }

  @Nested
  class StagesAndDeployments {
    @Test
    void deploying_freezes_the_definition_and_publishes_the_stage_snapshot() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      String routeId = fx.route(tenant, apiId, integration, "GET", "/pets");
      String stageId = fx.stage(tenant, apiId, "prod");
      JsonObject deployment = fx.deploy(tenant, apiId, stageId);
      assertThat(deployment.getString("hash")).matches("[0-9a-f]{64}");
      assertThat(deployment.getJsonArray("stages")).containsExactly("prod");

      var row = lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"));
      DeploymentSnapshot snapshot = DeploymentSnapshot.CODEC.decode(row.value3());
      assertThat(snapshot.deploymentId()).isEqualTo(deployment.getString("id"));
      assertThat(snapshot.hash()).isEqualTo(deployment.getString("hash"));
      assertThat(snapshot.stage()).isEqualTo("prod");
      assertThat(snapshot.stageVariables()).containsEntry("host", "b.example.com");
      assertThat(snapshot.routes()).hasSize(1);
      assertThat(snapshot.routes().getFirst().routeId()).isEqualTo(routeId);
      assertThat(snapshot.routes().getFirst().integration().uri())
          .isEqualTo("https://backend.example.com/{proxy}");

      // A later change to the definition does not reach the deployed stage.
      fx.route(tenant, apiId, integration, "POST", "/pets");
      var again =
          api.get(
                  token,
                  "/v1/tenants/"
                      + tenant
                      + "/apis/"
                      + apiId
                      + "/deployments/"
                      + deployment.getString("id"))
              .json();
      assertThat(again.getJsonObject("definition").getJsonArray("routes")).hasSize(1);
      assertThat(again.getString("hash")).isEqualTo(deployment.getString("hash"));
    }

    @Test
    void the_same_definition_hashes_the_same_and_a_change_hashes_differently() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      fx.route(tenant, apiId, integration, "GET", "/pets");
      String stageId = fx.stage(tenant, apiId, "prod");
      String first = fx.deploy(tenant, apiId, stageId).getString("hash");
      String second = fx.deploy(tenant, apiId, stageId).getString("hash");
      fx.route(tenant, apiId, integration, "DELETE", "/pets");
      String third = fx.deploy(tenant, apiId, stageId).getString("hash");
      assertThat(second).isEqualTo(first);
      assertThat(third).isNotEqualTo(first);
    }

    @Test
    void rollback_points_the_stage_at_an_earlier_deployment() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      String integration = fx.integration(tenant, apiId);
      fx.route(tenant, apiId, integration, "GET", "/pets");
      String stageId = fx.stage(tenant, apiId, "prod");
      String v1 = fx.deploy(tenant, apiId, stageId).getString("id");
      fx.route(tenant, apiId, integration, "POST", "/pets");
      String v2 = fx.deploy(tenant, apiId, stageId).getString("id");
      assertThat(v2).isNotEqualTo(v1);

      var rolledBack =
          api.post(
              token,
              "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId + "/rollback",
              new JsonObject().put("deploymentId", v1));
      assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
      assertThat(rolledBack.json().getString("deploymentId")).isEqualTo(v1);
      var snapshot =
          DeploymentSnapshot.CODEC.decode(
              lastOutbox(tenant, Topics.DEPLOYMENTS, Topics.deploymentKey(tenant, apiId, "prod"))
                  .value3());
      assertThat(snapshot.deploymentId()).isEqualTo(v1);
      assertThat(snapshot.routes()).hasSize(1);
      assertThat(auditCount(tenant, "stage.rollback")).isEqualTo(1);
    }

    @Test
    void changing_a_deployed_stage_republishes_it_and_deleting_it_publishes_a_tombstone() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      fx.route(tenant, apiId, fx.integration(tenant, apiId), "GET", "/pets");
      String stageId = fx.stage(tenant, apiId, "prod");
      fx.deploy(tenant, apiId, stageId);
      String stagePath = "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages/" + stageId;
      var updated =
          api.put(
              token,
              stagePath,
              new JsonObject()
                  .put("throttle", new JsonObject().put("rateLimit", 5.5).put("burstLimit", 10))
                  .put(
                      "methodThrottles",
                      new JsonObject()
                          .put(
                              "/pets/GET",
                              new JsonObject().put("rateLimit", 1).put("burstLimit", 2)))
                  .put("accessLogFields", new JsonArray().add("requestId").add("status")));
      assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
      String key = Topics.deploymentKey(tenant, apiId, "prod");
      var snapshot =
          DeploymentSnapshot.CODEC.decode(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3());
      assertThat(snapshot.stageThrottle().rateLimit()).isEqualTo(5.5);
      assertThat(snapshot.methodThrottles().get("/pets/GET").burstLimit()).isEqualTo(2);
      assertThat(snapshot.accessLogFields()).containsExactly("requestId", "status");

      assertThat(api.delete(token, stagePath).status()).isEqualTo(204);
      assertThat(lastOutbox(tenant, Topics.DEPLOYMENTS, key).value3()).isNull();
    }

    @Test
    void a_stage_with_bad_settings_is_refused_with_every_problem() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      var answer =
          api.post(
              token,
              "/v1/tenants/" + tenant + "/apis/" + apiId + "/stages",
              new JsonObject()
                  .put("name", "prod stage")
                  .put("variables", new JsonObject().put("bad name", "x"))
                  .put("throttle", new JsonObject().put("rateLimit", -1))
                  .put(
                      "methodThrottles",
                      new JsonObject()
                          .put("pets", new JsonObject().put("rateLimit", 1).put("burstLimit", 1)))
                  .put("accessLogFields", new JsonArray().add("nope")));
      assertThat(answer.status()).isEqualTo(400);
      assertThat(
              answer.json().getJsonArray("errors").stream()
                  .map(e -> ((JsonObject) e).getString("pointer")))
          .contains(
              "/name",
              "/variables/bad name",
              "/throttle/rateLimit",
              "/throttle/burstLimit",
              "/methodThrottles/pets",
              "/accessLogFields/0");
    }
  }

  @Nested
  class PlansAppsAndKeys {
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
      assertThat(lastOutbox(tenant, Topics.PLANS, Topics.planKey(tenant, planId)).value3())
          .isNull();
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
              "/v1/tenants/"
                  + tenant
                  + "/apps/"
                  + appId
                  + "/keys/"
                  + old.getString("id")
                  + "/rotate",
              new JsonObject().put("gracePeriodSeconds", 3600));
      assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
      JsonObject fresh = rotated.json();
      assertThat(fresh.getString("key")).isNotEqualTo(old.getString("key"));
      assertThat(fresh.getString("rotatedFrom")).isEqualTo(old.getString("id"));
      Instant graceEnd = Instant.parse(fresh.getJsonObject("previous").getString("expiresAt"));
      assertThat(graceEnd)
          .isBetween(
              before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));

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
      // What billing writes when Stripe reports a failed payment.
      owner
          .update(SUBSCRIPTIONS)
          .set(SUBSCRIPTIONS.STATUS, "suspended")
          .where(SUBSCRIPTIONS.ID.eq(UUID.fromString(subscriptionId)))
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
              "/v1/tenants/"
                  + tenant
                  + "/apps/"
                  + appId
                  + "/keys/"
                  + key.getString("id")
                  + "/revoke",
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
              "/v1/tenants/"
                  + tenant
                  + "/apps/"
                  + appId
                  + "/keys/"
                  + key.getString("id")
                  + "/rotate",
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
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId).status())
          .isEqualTo(404);
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

  @Nested
  class Audit {
    @Test
    void every_change_is_listed_newest_first_with_before_and_after() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      api.put(
          token,
          "/v1/tenants/" + tenant + "/apis/" + apiId,
          new JsonObject().put("name", "Renamed"));
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
}
