package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keys and apps cost nothing to mint, and under a per-key plan every key brings its own throttle
 * and quota: so an app's keys and a person's apps are capped, by the owner within the platform's
 * maximum, or by the platform's default. Past a cap the answer is 409 with what to do.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeveloperCapsTest {
  static final int DEFAULT_KEYS = 3;
  static final int DEFAULT_APPS = 3;
  static final int MAX = 50;

  TestControlPlane cp;
  ApiClient api;
  String token;
  Fixture fx;

  @BeforeAll
  void start(TestDatabase db) {
    cp =
        TestControlPlane.start(
            db,
            null,
            Map.of(
                "TURNPIKE_CP_DEFAULT_KEYS_PER_APP", Integer.toString(DEFAULT_KEYS),
                "TURNPIKE_CP_DEFAULT_APPS_PER_DEVELOPER", Integer.toString(DEFAULT_APPS),
                "TURNPIKE_CP_MAX_KEYS_PER_APP", Integer.toString(MAX),
                "TURNPIKE_CP_MAX_APPS_PER_DEVELOPER", Integer.toString(MAX)));
    api = cp.client();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  ApiClient.Answer newKey(String tenant, String appId) {
    return api.post(token, "/v1/tenants/" + tenant + "/apps/" + appId + "/keys", new JsonObject());
  }

  ApiClient.Answer setCaps(String tenant, Integer keys, Integer apps) {
    return api.put(
        token,
        "/v1/tenants/" + tenant + "/developer-caps",
        new JsonObject().put("keysPerApp", keys).put("appsPerDeveloper", apps));
  }

  static void assertCapRefusal(ApiClient.Answer answer, String words) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.json().getString("detail")).contains(words);
  }

  @Nested
  class KeysPerApp {
    @Test
    void the_platform_default_applies_until_the_owner_sets_a_cap() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      for (int i = 0; i < DEFAULT_KEYS; i++) {
        assertThat(newKey(tenant, appId).status()).isEqualTo(201);
      }

      assertCapRefusal(newKey(tenant, appId), "may hold at most " + DEFAULT_KEYS);
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId + "/keys").items())
          .hasSize(DEFAULT_KEYS);
    }

    @Test
    void the_owners_cap_replaces_the_default_within_the_maximum() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);

      ApiClient.Answer tooHigh = setCaps(tenant, MAX + 1, null);
      assertThat(tooHigh.status()).isEqualTo(400);
      assertThat(tooHigh.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/keysPerApp");
      ApiClient.Answer set = setCaps(tenant, 1, null);
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      assertThat(set.json().getInteger("keysPerApp")).isEqualTo(1);
      assertThat(set.json().getInteger("appsPerDeveloper")).isEqualTo(DEFAULT_APPS);

      assertThat(newKey(tenant, appId).status()).isEqualTo(201);
      assertCapRefusal(newKey(tenant, appId), "may hold at most 1");
    }

    @Test
    void revoking_a_key_frees_its_place_and_rotating_replaces_one_without_adding() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      setCaps(tenant, 2, null);
      String keys = "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/";
      JsonObject first = newKey(tenant, appId).json();
      JsonObject second = newKey(tenant, appId).json();

      ApiClient.Answer rotated =
          api.post(token, keys + first.getString("id") + "/rotate", new JsonObject());
      assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
      assertCapRefusal(
          api.post(token, keys + first.getString("id") + "/rotate", new JsonObject()),
          "may hold at most 2");
      assertCapRefusal(newKey(tenant, appId), "revoke a key");

      assertThat(api.post(token, keys + second.getString("id") + "/revoke", null).status())
          .isEqualTo(200);
      assertThat(newKey(tenant, appId).status()).isEqualTo(201);
    }

    @Test
    void an_import_past_the_cap_is_refused_whole() {
      String tenant = fx.tenant();
      String appId = fx.app(tenant);
      setCaps(tenant, 2, null);
      newKey(tenant, appId);
      String csv =
          "key\n"
              + "legacy-"
              + UUID.randomUUID().toString().replace("-", "")
              + "\nlegacy-"
              + UUID.randomUUID().toString().replace("-", "")
              + "\n";

      ApiClient.Answer answer =
          api.send(
              "POST",
              token,
              "/v1/tenants/" + tenant + "/apps/" + appId + "/keys/import?failOnWarnings=false",
              csv,
              "text/csv");

      assertCapRefusal(answer, "adding 2 more");
      assertThat(api.get(token, "/v1/tenants/" + tenant + "/apps/" + appId + "/keys").items())
          .hasSize(1);
    }
  }

  @Nested
  class AppsPerDeveloper {
    @Test
    void a_person_past_the_cap_is_refused_and_others_are_not() {
      String tenant = fx.tenant();
      setCaps(tenant, null, 2);
      fx.app(tenant);
      fx.app(tenant);

      assertCapRefusal(
          api.post(token, "/v1/tenants/" + tenant + "/apps", new JsonObject().put("name", "Third")),
          "may hold at most 2");

      String slug = api.get(token, "/v1/tenants/" + tenant).json().getString("slug");
      String developer = cp.token("dev-" + UUID.randomUUID());
      String portal = "/v1/portal/" + slug;
      assertThat(api.put(developer, portal + "/me", new JsonObject()).status()).isEqualTo(200);
      for (int i = 0; i < 2; i++) {
        assertThat(
                api.post(developer, portal + "/apps", new JsonObject().put("name", "App " + i))
                    .status())
            .isEqualTo(201);
      }
      assertCapRefusal(
          api.post(developer, portal + "/apps", new JsonObject().put("name", "One more")),
          "delete an app");
    }

    @Test
    void a_deleted_app_frees_its_place() {
      String tenant = fx.tenant();
      setCaps(tenant, null, 1);
      String appId = fx.app(tenant);
      assertThat(api.delete(token, "/v1/tenants/" + tenant + "/apps/" + appId).status())
          .isEqualTo(204);

      assertThat(
              api.post(token, "/v1/tenants/" + tenant + "/apps", new JsonObject().put("name", "B"))
                  .status())
          .isEqualTo(201);
    }
  }

  @Nested
  class PortalKeys {
    @Test
    void a_developer_past_the_key_cap_gets_409_with_what_to_do() {
      String tenant = fx.tenant();
      setCaps(tenant, 1, null);
      String slug = api.get(token, "/v1/tenants/" + tenant).json().getString("slug");
      String developer = cp.token("dev-" + UUID.randomUUID());
      String portal = "/v1/portal/" + slug;
      api.put(developer, portal + "/me", new JsonObject());
      String appId =
          api.post(developer, portal + "/apps", new JsonObject().put("name", "Bot"))
              .json()
              .getString("id");
      String keys = portal + "/apps/" + appId + "/keys";
      assertThat(api.post(developer, keys, new JsonObject()).status()).isEqualTo(201);

      assertCapRefusal(api.post(developer, keys, new JsonObject()), "revoke a key");
    }
  }
}
