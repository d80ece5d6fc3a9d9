package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyImportTest {
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

  static String freshKey() {
    return "legacy-" + UUID.randomUUID().toString().replace("-", "");
  }

  ApiClient.Answer importCsv(String tenant, String appId, String csv, String query) {
    return api.send(
        "POST",
        token,
        "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/import" + query,
        csv,
        "text/csv");
  }

  KeyRecord published(String tenant, String plainKey) {
    byte[] payload =
        owner
            .select(OUTBOX.PAYLOAD)
            .from(OUTBOX)
            .where(
                OUTBOX.TENANT_ID.eq(UUID.fromString(tenant)),
                OUTBOX.TOPIC.eq(Topics.KEYS),
                OUTBOX.MESSAGE_KEY.eq(ApiKeyHash.sha256Hex(plainKey)))
            .orderBy(OUTBOX.ID.desc())
            .limit(1)
            .fetchOne(OUTBOX.PAYLOAD);
    assertThat(payload).as("an outbox row for the key").isNotNull();
    return KeyRecord.CODEC.decode(payload);
  }

  int keysOf(String appId) {
    return owner.fetchCount(API_KEYS, API_KEYS.APP_ID.eq(UUID.fromString(appId)));
  }

  @Nested
  class CsvImport {
    @Test
    void imports_existing_keys_storing_only_their_hash_and_publishing_them() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      fx.stage(tenant, apiId, "prod");
      String planId = fx.plan(tenant, apiId, "prod");
      String appId = fx.app(tenant);
      fx.subscribe(tenant, appId, planId);
      String first = freshKey();
      String second = freshKey();

      var answer =
          importCsv(
              tenant,
              appId,
              "name,key,enabled,usageplanIds\npartner,"
                  + first
                  + ",true,"
                  + planId
                  + "\n"
                  + "paused,"
                  + second
                  + ",false,\n",
              "");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
      assertThat(answer.json().getJsonArray("ids")).hasSize(2);
      assertThat(answer.json().getJsonArray("warnings")).isEmpty();
      assertThat(owner.select(API_KEYS.fields()).from(API_KEYS).fetch().formatJSON())
          .doesNotContain(first, second);
      assertThat(published(tenant, first).status()).isEqualTo(KeyStatus.ENABLED);
      assertThat(published(tenant, first).planIds()).containsExactly(planId);
      assertThat(published(tenant, second).status()).isEqualTo(KeyStatus.DISABLED);
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId + "/keys").items())
          .extracting(
              k -> ((JsonObject) k).getString("name") + " " + ((JsonObject) k).getString("prefix"))
          .containsExactlyInAnyOrder(
              "partner " + first.substring(0, 8), "paused " + second.substring(0, 8));
    }

    @Test
    void a_bad_row_refuses_the_whole_file_and_lists_every_problem() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      String good = freshKey();

      var answer =
          importCsv(
              tenant,
              appId,
              "name,key,usageplanIds\nok,"
                  + good
                  + ",\nshort,abc,\nstranger,"
                  + freshKey()
                  + ","
                  + UUID.randomUUID()
                  + "\n",
              "?failOnWarnings=true");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(
              answer.json().getJsonArray("errors").stream()
                  .map(e -> ((JsonObject) e).getString("pointer")))
          .containsExactly("/rows/2/key", "/rows/3/usageplanIds");
      assertThat(keysOf(appId)).isZero();
    }

    @Test
    void without_fail_on_warnings_the_good_rows_are_imported_and_the_rest_reported() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      String good = freshKey();

      var answer =
          importCsv(
              tenant, appId, "key\n" + good + "\nabc\n" + good + "\n", "?failOnWarnings=false");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
      assertThat(answer.json().getJsonArray("ids")).hasSize(1);
      assertThat(
              answer.json().getJsonArray("warnings").stream()
                  .map(e -> ((JsonObject) e).getString("pointer")))
          .containsExactly("/rows/2/key", "/rows/3/key");
      assertThat(keysOf(appId)).isEqualTo(1);
    }

    @Test
    void a_key_already_used_in_another_tenant_is_refused_without_revealing_it() {
      String taken = freshKey();
      String tenantA = fx.tenant();
      String appA = fx.app(tenantA);
      assertThat(importCsv(tenantA, appA, "key\n" + taken + "\n", "").status()).isEqualTo(201);
      String otherToken = cp.token("owner-" + UUID.randomUUID());
      Fixture other = new Fixture(api, otherToken);
      String tenantB = other.tenant();
      String appB = other.app(tenantB);

      var answer =
          api.send(
              "POST",
              otherToken,
              "/v1/tenants/" + tenantB + "/apps/" + appB + "/keys/import",
              "key\n" + taken + "\n",
              "text/csv");

      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.body()).contains("already in use").doesNotContain(tenantA, appA);
      assertThat(keysOf(appB)).isZero();
    }

    /**
     * The oracle: whether a key value is in use must not tell whose it is. A value taken in this
     * tenant and one taken in another get the very same refusal, with and without failOnWarnings.
     */
    @Test
    void a_key_taken_here_and_one_taken_in_another_tenant_get_the_same_refusal() {
      String ownTaken = freshKey();
      String tenant = fx.tenant();
      String firstApp = fx.app(tenant);
      String secondApp = fx.app(tenant);
      assertThat(importCsv(tenant, firstApp, "key\n" + ownTaken + "\n", "").status())
          .isEqualTo(201);
      String foreignTaken = freshKey();
      String otherToken = cp.token("owner-" + UUID.randomUUID());
      Fixture other = new Fixture(api, otherToken);
      String otherTenant = other.tenant();
      String otherApp = other.app(otherTenant);
      assertThat(
              api.send(
                      "POST",
                      otherToken,
                      "/v1/tenants/" + otherTenant + "/apps/" + otherApp + "/keys/import",
                      "key\n" + foreignTaken + "\n",
                      "text/csv")
                  .status())
          .isEqualTo(201);

      for (String query : new String[] {"", "?failOnWarnings=false"}) {
        var own = importCsv(tenant, secondApp, "key\n" + ownTaken + "\n", query);
        var foreign = importCsv(tenant, secondApp, "key\n" + foreignTaken + "\n", query);

        assertThat(own.status()).as(own.toString()).isEqualTo(foreign.status());
        JsonObject ownBody = own.json();
        JsonObject foreignBody = foreign.json();
        ownBody.remove("requestId");
        foreignBody.remove("requestId");
        ownBody.remove("instance");
        foreignBody.remove("instance");
        assertThat(ownBody).as(query).isEqualTo(foreignBody);
        assertThat(own.body()).doesNotContain(firstApp);
      }
      assertThat(keysOf(secondApp)).isZero();
    }

    @Test
    void refuses_a_body_that_is_not_csv_and_a_bad_flag() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      var json =
          api.post(
              token,
              "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/import",
              new JsonObject().put("key", freshKey()));
      assertThat(json.status()).isEqualTo(415);
      assertThat(
              importCsv(tenant, appId, "key\n" + freshKey() + "\n", "?failOnWarnings=yes").status())
          .isEqualTo(400);
      assertThat(keysOf(appId)).isZero();
    }
  }

  @Nested
  class EnablingAndDisabling {
    @Test
    void a_disabled_key_is_published_disabled_and_enabling_restores_it() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      JsonObject key = fx.key(tenant, appId);
      String path = "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/" + key.getString("id");

      var disabled = api.post(token, path + "/disable", null);
      assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
      assertThat(disabled.json().getString("status")).isEqualTo("disabled");
      assertThat(published(tenant, key.getString("key")).status()).isEqualTo(KeyStatus.DISABLED);

      var enabled = api.post(token, path + "/enable", null);
      assertThat(enabled.json().getString("status")).isEqualTo("enabled");
      assertThat(published(tenant, key.getString("key")).status()).isEqualTo(KeyStatus.ENABLED);
    }

    @Test
    void a_revoked_key_cannot_be_enabled() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      JsonObject key = fx.key(tenant, appId);
      String path = "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/" + key.getString("id");
      api.post(token, path + "/revoke", null);

      assertThat(api.post(token, path + "/enable", null).status()).isEqualTo(409);
      assertThat(published(tenant, key.getString("key")).status()).isEqualTo(KeyStatus.REVOKED);
    }
  }
}
