package dev.turnpike.controlplane.web;

import static dev.turnpike.db.Tables.APIS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProblemResponsesTest {
  TestControlPlane cp;
  ApiClient api;
  String token;
  String tenant;
  String apis;
  DSLContext owner;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    api = cp.client();
    owner = db.ownerDsl();
    token = cp.token("errors");
    tenant = new Fixture(api, token).tenant();
    apis = "/v1/tenants/" + tenant + "/apis";
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  JsonObject problem(ApiClient.Answer answer, int status, String kind) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.body())
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("dev.turnpike");
    JsonObject json = answer.json();
    assertThat(json.getString("type")).isEqualTo("https://turnpike.dev/problems/" + kind);
    assertThat(json.getInteger("status")).isEqualTo(status);
    assertThat(json.getString("title")).isNotBlank();
    assertThat(json.getString("detail")).isNotBlank();
    return json;
  }

  @Nested
  class StrictBodies {
    @Test
    void an_unknown_field_is_refused_and_changes_nothing() {
      var json =
          problem(
              api.post(
                  token,
                  apis,
                  new JsonObject().put("slug", "pets").put("name", "Pets").put("colour", "red")),
              400,
              "validation-failed");
      assertThat(json.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/colour");
      assertThat(owner.fetchCount(APIS)).isZero();
    }

    @Test
    void a_number_where_a_string_belongs_is_refused() {
      var json =
          problem(
              api.post(token, apis, new JsonObject().put("slug", 42).put("name", "Pets")),
              400,
              "validation-failed");
      assertThat(json.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/slug");
      assertThat(json.getJsonArray("errors").getJsonObject(0).getString("message"))
          .isEqualTo("must be a string");
    }

    @Test
    void a_string_where_a_number_belongs_is_refused() {
      var json =
          problem(
              api.post(
                  token,
                  "/v1/tenants/" + tenant + "/usage-plans",
                  new JsonObject()
                      .put("name", "Gold")
                      .put("quota", new JsonObject().put("limit", "1000").put("period", "DAY"))),
              400,
              "validation-failed");
      assertThat(json.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/quota/limit");
    }

    @Test
    void a_fraction_where_a_whole_number_belongs_is_refused() {
      problem(
          api.post(
              token,
              "/v1/tenants/" + tenant + "/usage-plans",
              new JsonObject()
                  .put("name", "Gold")
                  .put("throttle", new JsonObject().put("rateLimit", 1).put("burstLimit", 1.5))),
          400,
          "validation-failed");
    }

    @Test
    void malformed_json_is_refused() {
      problem(
          api.send("POST", token, apis, "{\"slug\": ", "application/json"), 400, "malformed-json");
    }

    @Test
    void a_body_that_is_not_an_object_is_refused() {
      problem(api.send("POST", token, apis, "[1,2]", "application/json"), 400, "malformed-json");
    }

    @Test
    void a_body_in_another_media_type_is_refused() {
      problem(
          api.send("POST", token, apis, "slug=pets", "application/x-www-form-urlencoded"),
          415,
          "unsupported-media-type");
    }

    @Test
    void a_body_over_the_limit_is_refused() {
      String big = "{\"name\":\"" + "x".repeat(2 << 20) + "\"}";
      assertThat(api.send("POST", token, apis, big, "application/json").status()).isEqualTo(413);
    }

    @Test
    void validation_lists_every_invalid_field() {
      var json =
          problem(
              api.post(token, apis, new JsonObject().put("slug", "Not A Slug")),
              400,
              "validation-failed");
      assertThat(
              json.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")))
          .containsExactlyInAnyOrder("/slug", "/name");
    }
  }

  @Nested
  class UnknownThings {
    @Test
    void an_unknown_path_is_a_404_problem() {
      problem(api.get(token, "/v1/nothing-here"), 404, "not-found");
    }

    @Test
    void a_malformed_id_is_a_404_problem() {
      problem(api.get(token, apis + "/not-a-uuid"), 404, "not-found");
    }

    @Test
    void an_unknown_tenant_is_a_404_problem() {
      problem(
          api.get(token, "/v1/tenants/00000000-0000-0000-0000-000000000000/apis"),
          404,
          "not-found");
    }

    @Test
    void a_method_the_path_does_not_have_is_a_405_problem() {
      problem(api.send("PATCH", token, apis, "{}", "application/json"), 405, "method-not-allowed");
    }
  }
}
