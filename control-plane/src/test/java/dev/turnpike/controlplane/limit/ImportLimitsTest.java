package dev.turnpike.controlplane.limit;

import static dev.turnpike.controlplane.limit.LimitAnswers.assertLimitExceeded;
import static dev.turnpike.controlplane.limit.LimitAnswers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner limits an OpenAPI import is held to, through the management API's import endpoint with
 * small limits: the document's size, the routes and integrations it would make, how its {@code
 * $ref}s expand, and its response bodies. At the limit an import is accepted; past it the API is
 * left as it was.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportLimitsTest {
  static final int DOCUMENT_BYTES = 8192;

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
                Limit.IMPORT_DOCUMENT_BYTES.setting(), Integer.toString(DOCUMENT_BYTES),
                Limit.ROUTES_PER_API.setting(), "3",
                Limit.INTEGRATIONS_PER_API.setting(), "3",
                Limit.REF_DEPTH.setting(), "3",
                Limit.REF_EXPANDED_NODES.setting(), "100",
                Limit.RESPONSE_BODY_BYTES.setting(), "16"));
    api = cp.client();
    token = cp.token("owner-" + UUID.randomUUID());
    fx = new Fixture(api, token);
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  static JsonObject document() {
    return new JsonObject()
        .put("openapi", "3.0.1")
        .put("info", new JsonObject().put("title", "Limits").put("version", "1"))
        .put("paths", new JsonObject());
  }

  static JsonObject mockOperation(String body) {
    JsonObject response = new JsonObject().put("statusCode", "200");
    if (body != null) {
      response.put("responseTemplates", new JsonObject().put("application/json", body));
    }
    return new JsonObject()
        .put(
            "x-amazon-apigateway-integration",
            new JsonObject()
                .put("type", "mock")
                .put("responses", new JsonObject().put("default", response)));
  }

  /** A document of GET operations with mock integrations at the paths. */
  static JsonObject withPaths(String... paths) {
    JsonObject document = document();
    for (String path : paths) {
      document.getJsonObject("paths").put(path, new JsonObject().put("get", mockOperation(null)));
    }
    return document;
  }

  ApiClient.Answer importing(String tenant, String apiId, String document, String query) {
    return api.send(
        "POST",
        token,
        "/v1/tenants/" + tenant + "/apis/" + apiId + "/openapi" + query,
        document,
        "application/json");
  }

  int routes(String tenant, String apiId) {
    return api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes").items().size();
  }

  int integrations(String tenant, String apiId) {
    return api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/integrations")
        .items()
        .size();
  }

  @Nested
  class DocumentSize {
    /** The document padded with trailing spaces (valid JSON) to exactly {@code bytes}. */
    String ofSize(int bytes) {
      String json = withPaths("/pets").encode();
      return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void a_document_at_the_limit_is_imported() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      var answer = importing(tenant, apiId, ofSize(DOCUMENT_BYTES), "");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void a_document_one_byte_past_the_limit_is_refused_with_413_naming_the_limit() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      var answer = importing(tenant, apiId, ofSize(DOCUMENT_BYTES + 1), "");

      assertRefused(
          answer,
          413,
          "payload-too-large",
          Limit.IMPORT_DOCUMENT_BYTES,
          DOCUMENT_BYTES,
          DOCUMENT_BYTES + 1);
      assertThat(routes(tenant, apiId)).isZero();
    }

    @Test
    void other_request_bodies_keep_the_general_limit() {
      String tenant = fx.tenant();
      // The general limit is 1 MiB, far above the documents' 8 KiB here: a large body elsewhere
      // is not held to the documents' limit.
      var answer =
          api.post(
              token,
              "/v1/tenants/" + tenant + "/apis",
              new JsonObject()
                  .put("slug", "big")
                  .put("name", "Big")
                  .put("description", "d".repeat(4000))
                  .put("binaryMediaTypes", java.util.Collections.nCopies(400, "image/png")));
      assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    }
  }

  @Nested
  class RoutesAndIntegrations {
    @Test
    void a_document_with_more_operations_than_the_limit_is_refused_before_it_is_read() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      assertThat(importing(tenant, apiId, withPaths("/a", "/b", "/c").encode(), "").status())
          .isEqualTo(200);
      // Four operations, and none has an integration: the count alone refuses it.
      JsonObject four = document();
      for (String path : new String[] {"/w", "/x", "/y", "/z"}) {
        four.getJsonObject("paths").put(path, new JsonObject().put("get", new JsonObject()));
      }

      var answer = importing(tenant, apiId, four.encode(), "");

      assertLimitExceeded(answer, Limit.ROUTES_PER_API, 3, 4);
      assertThat(routes(tenant, apiId)).isEqualTo(3);
    }

    @Test
    void a_merge_past_the_limit_with_the_routes_the_api_keeps_is_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      assertThat(importing(tenant, apiId, withPaths("/a", "/b").encode(), "").status())
          .isEqualTo(200);
      String replacesOneAddsOne = withPaths("/b", "/c").encode();
      assertThat(importing(tenant, apiId, replacesOneAddsOne, "?mode=merge").status())
          .isEqualTo(200); // three routes: at the limit

      var answer = importing(tenant, apiId, withPaths("/d").encode(), "?mode=merge");

      assertLimitExceeded(answer, Limit.ROUTES_PER_API, 3, 4);
      assertThat(routes(tenant, apiId)).isEqualTo(3);
    }

    @Test
    void a_merge_past_the_integrations_limit_is_refused_and_an_overwrite_frees_them() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      fx.integration(tenant, apiId); // used by no route: a merge keeps it
      String three = withPaths("/a", "/b", "/c").encode();

      var answer = importing(tenant, apiId, three, "?mode=merge");

      assertLimitExceeded(answer, Limit.INTEGRATIONS_PER_API, 3, 4);
      assertThat(integrations(tenant, apiId)).isEqualTo(1);
      assertThat(routes(tenant, apiId)).isZero();
      var overwrite = importing(tenant, apiId, three, "");
      assertThat(overwrite.status()).as(overwrite.toString()).isEqualTo(200);
      assertThat(integrations(tenant, apiId)).isEqualTo(3);
    }
  }

  @Nested
  class References {
    /** A document whose one POST validates its body against {@code schema}. */
    JsonObject validating(JsonObject schema, JsonObject components) {
      JsonObject operation =
          mockOperation(null)
              .put(
                  "requestBody",
                  new JsonObject()
                      .put(
                          "content",
                          new JsonObject()
                              .put("application/json", new JsonObject().put("schema", schema))));
      return document()
          .put(
              "x-amazon-apigateway-request-validators",
              new JsonObject()
                  .put(
                      "body",
                      new JsonObject()
                          .put("validateRequestBody", true)
                          .put("validateRequestParameters", false)))
          .put("x-amazon-apigateway-request-validator", "body")
          .put("components", new JsonObject().put("schemas", components))
          .put("paths", new JsonObject().put("/orders", new JsonObject().put("post", operation)));
    }

    static JsonObject ref(String schema) {
      return new JsonObject().put("$ref", "#/components/schemas/" + schema);
    }

    /** S1 refers to S2, ..., to S{depth}: the body's schema nests {@code depth} references. */
    JsonObject chain(int depth) {
      JsonObject schemas = new JsonObject();
      for (int i = 1; i < depth; i++) {
        schemas.put(
            "S" + i,
            new JsonObject()
                .put("type", "object")
                .put("properties", new JsonObject().put("next", ref("S" + (i + 1)))));
      }
      schemas.put("S" + depth, new JsonObject().put("type", "string"));
      return validating(ref("S1"), schemas);
    }

    /**
     * The body's schema: one reference to an object of {@code properties} string properties. Each
     * object or array expanded counts: the reference, the object, its properties object and each
     * property, {@code properties + 3} in all.
     */
    JsonObject wide(int properties) {
      JsonObject props = new JsonObject();
      for (int i = 0; i < properties; i++) {
        props.put("p" + i, new JsonObject().put("type", "string"));
      }
      return validating(
          ref("Wide"),
          new JsonObject()
              .put("Wide", new JsonObject().put("type", "object").put("properties", props)));
    }

    @Test
    void references_nested_to_the_depth_limit_are_expanded() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      var answer = importing(tenant, apiId, chain(3).encode(), "");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void references_nested_deeper_are_refused_naming_the_reference() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);

      var answer = importing(tenant, apiId, chain(4).encode(), "");

      JsonObject problem = assertLimitExceeded(answer, Limit.REF_DEPTH, 3, 4);
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo("/components/schemas/S3/properties/next/$ref");
      assertThat(routes(tenant, apiId)).isZero();
    }

    @Test
    void an_expansion_at_the_node_limit_is_accepted_and_one_node_more_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      var atLimit = importing(tenant, apiId, wide(97).encode(), "");
      assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(200);
      String other = fx.api(tenant);

      var answer = importing(tenant, other, wide(98).encode(), "");

      assertLimitExceeded(answer, Limit.REF_EXPANDED_NODES, 100, 101);
      assertThat(routes(tenant, other)).isZero();
    }
  }

  @Nested
  class ResponseBodies {
    @Test
    void a_mock_body_past_the_limit_is_refused_at_its_template() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      JsonObject atLimit = document();
      atLimit
          .getJsonObject("paths")
          .put("/ok", new JsonObject().put("get", mockOperation("{\"ok\":\"1234567\"}")));
      assertThat(importing(tenant, apiId, atLimit.encode(), "").status()).isEqualTo(200);
      JsonObject past = document();
      past.getJsonObject("paths")
          .put("/big", new JsonObject().put("get", mockOperation("{\"ok\":\"12345678\"}")));

      var answer = importing(tenant, apiId, past.encode(), "");

      JsonObject problem = assertLimitExceeded(answer, Limit.RESPONSE_BODY_BYTES, 16, 17);
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("pointer"))
          .isEqualTo(
              "/paths/~1big/get/x-amazon-apigateway-integration/responses/default"
                  + "/responseTemplates/application~1json");
      assertThat(
              api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId + "/routes")
                  .items()
                  .getJsonObject(0)
                  .getString("resourcePath"))
          .isEqualTo("/ok");
    }

    @Test
    void a_gateway_response_body_past_the_limit_is_refused() {
      String tenant = fx.tenant();
      String apiId = fx.api(tenant);
      JsonObject document =
          withPaths("/pets")
              .put(
                  "x-amazon-apigateway-gateway-responses",
                  new JsonObject()
                      .put(
                          "THROTTLED",
                          new JsonObject()
                              .put(
                                  "responseTemplates",
                                  new JsonObject()
                                      .put("application/json", "{\"m\":\"slow down!\"}"))));

      var answer = importing(tenant, apiId, document.encode(), "");

      assertLimitExceeded(answer, Limit.RESPONSE_BODY_BYTES, 16, 18);
      assertThat(routes(tenant, apiId)).isZero();
    }
  }
}
