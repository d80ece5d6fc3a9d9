package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Anyone may sign up and create tenants, so how many one person owns is capped, and slugs that
 * would pass for the platform's own hosts or pages (a portal at {@code admin.<domain>}, a gateway
 * path {@code /login/...}) are not given out.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantCreationTest {
  static final int CAP = 2;

  TestControlPlane cp;
  ApiClient api;

  @BeforeAll
  void start(TestDatabase db) {
    cp =
        TestControlPlane.start(
            db, null, Map.of("TURNPIKE_CP_MAX_TENANTS_PER_USER", Integer.toString(CAP)));
    api = cp.client();
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  ApiClient.Answer create(String token, String slug) {
    return api.post(token, "/v1/tenants", new JsonObject().put("slug", slug).put("name", slug));
  }

  static String slug() {
    return "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Nested
  class TenantsPerUser {
    @Test
    void a_user_at_the_cap_is_refused_with_409_naming_it_and_nothing_is_created() {
      String token = cp.token("owner-" + UUID.randomUUID());
      for (int i = 0; i < CAP; i++) {
        assertThat(create(token, slug()).status()).isEqualTo(201);
      }
      String refused = slug();

      var answer = create(token, refused);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
      assertThat(answer.contentType()).isEqualTo("application/problem+json");
      assertThat(answer.json().getString("detail")).contains("at most " + CAP + " organizations");
      assertThat(api.get(token, "/v1/tenants").items()).hasSize(CAP);
      assertThat(create(cp.token("owner-" + UUID.randomUUID()), refused).status())
          .as("the slug was not taken by the refused attempt")
          .isEqualTo(201);
    }

    @Test
    void leaving_ownership_of_one_frees_a_place() {
      String token = cp.token("owner-" + UUID.randomUUID());
      String first = create(token, slug()).json().getString("id");
      create(token, slug());
      String heir = "heir-" + UUID.randomUUID();
      String heirToken = cp.token(heir);
      String heirId = api.get(heirToken, "/v1/me").json().getString("id");
      String me = api.get(token, "/v1/me").json().getString("id");
      api.put(
          token,
          "/v1/tenants/" + first + "/members/" + heirId,
          new JsonObject().put("role", "owner"));
      assertThat(api.delete(token, "/v1/tenants/" + first + "/members/" + me).status())
          .isEqualTo(204);

      assertThat(create(token, slug()).status()).isEqualTo(201);
    }
  }

  @Nested
  class ReservedSlugs {
    @Test
    void slugs_that_pass_for_the_platforms_own_hosts_are_refused_with_400_naming_the_field() {
      String token = cp.token("owner-" + UUID.randomUUID());
      for (String reserved :
          List.of(
              "www", "api", "admin", "portal", "console", "auth", "static", "login", "billing",
              "status", "docs", "mail")) {
        var answer = create(token, reserved);

        assertThat(answer.status()).as(reserved + " -> " + answer).isEqualTo(400);
        var error = answer.json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("pointer")).isEqualTo("/slug");
        assertThat(error.getString("message")).contains("reserved");
      }
      assertThat(api.get(token, "/v1/tenants").items()).isEmpty();
    }

    @Test
    void a_slug_that_merely_contains_a_reserved_word_is_fine() {
      assertThat(create(cp.token("owner-" + UUID.randomUUID()), "api-" + slug()).status())
          .isEqualTo(201);
    }
  }
}
