package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.http;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on the path a backend sees: with {@code ANY /{proxy+}} sent to {@code
 * http://backend/public/{proxy}}, no request may reach the backend outside {@code /public/}, and a
 * single-segment parameter stays one segment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathSafetyTest {
  GatewayRig gateway;
  TestBackend backend;

  @BeforeAll
  void start() throws Exception {
    gateway = GatewayRig.builder().start();
    backend = TestBackend.start(gateway.vertx);
    gateway.load(
        List.of(
            deployment(
                "prod",
                List.of(
                    route("GET", "/files/{name}", false, proxy(backend.url() + "/files/{name}")),
                    route(
                        "GET",
                        "/docs",
                        false,
                        http(
                            "GET",
                            backend.url() + "/docs/{file}",
                            Map.of(
                                "integration.request.path.file",
                                "method.request.querystring.file"))),
                    route("ANY", "/{proxy+}", false, proxy(backend.url() + "/public/{proxy}"))))),
        List.of(),
        List.of());
  }

  @AfterAll
  void stop() {
    backend.close();
    gateway.close();
  }

  GatewayRig.Response get(String target) throws Exception {
    return gateway.rawGet(target, Map.of());
  }

  static void assertRefused(GatewayRig.Response response, String target) {
    assertThat(response.status()).as(target).isEqualTo(400);
    assertThat(response.headers().get("x-amzn-ErrorType"))
        .as(target)
        .isEqualTo("BadRequestException");
    assertThat(response.headers().get("x-backend")).as(target + " reached the backend").isNull();
    assertThat(response.json().getString("message")).as(target).startsWith("Invalid request path");
  }

  @Nested
  class DotSegments {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "/acme/pets/prod/..%2F..%2Fadmin%2Fusers",
          "/acme/pets/prod/a/../../admin/users",
          "/acme/pets/prod/%2e%2e/%2e%2e/admin",
          "/acme/pets/prod/%2E%2E/admin",
          "/acme/pets/prod/%2e%2E/admin",
          "/acme/pets/prod/.%2e/admin",
          "/acme/pets/prod/%2e./admin",
          "/acme/pets/prod/./admin",
          "/acme/pets/prod/%2e/admin",
          "/acme/pets/prod/x/..",
          "/acme/pets/prod/x/.",
          "/acme/pets/prod/a%2F..%2Fb",
          "/acme/pets/prod/a%2f%2e%2e%2fb",
          "/acme/pets/prod/a%2F.",
          "/acme/pets/prod/..;x/admin",
          "/acme/pets/prod/..%3Bx/admin",
          "/acme/../acme/pets/prod/x",
          "/acme/pets/%2e%2e/pets/prod/x"
        })
    void refuses_dot_segments_raw_or_encoded_with_400(String target) throws Exception {
      assertRefused(get(target), target);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "/acme/pets/prod/..%5C..%5Cadmin",
          "/acme/pets/prod/..%5cadmin",
          "/acme/pets/prod/a\\..\\admin",
          "/acme/pets/prod/files/..%5Cadmin"
        })
    void refuses_dot_segments_behind_a_backslash(String target) throws Exception {
      assertRefused(get(target), target);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "/acme/pets/prod/a%00b",
          "/acme/pets/prod/files/secret.txt%00.png",
          "/acme/pets/prod/a%0d%0aX-Injected:%20yes",
          "/acme/pets/prod/a%09b",
          "/acme/pets/prod/a%7Fb"
        })
    void refuses_encoded_nul_and_control_characters(String target) throws Exception {
      assertRefused(get(target), target);
    }

    @Test
    void keeps_names_that_merely_contain_dots() throws Exception {
      var response = get("/acme/pets/prod/v1.2/..hidden/a..b/.../file.tar.gz");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("path"))
          .isEqualTo("/public/v1.2/..hidden/a..b/.../file.tar.gz");
    }

    @Test
    void proxy_passes_ordinary_paths_below_its_prefix() throws Exception {
      var response = get("/acme/pets/prod/a/b%20c/d");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("path")).isEqualTo("/public/a/b%20c/d");
    }
  }

  @Nested
  class SingleSegmentParameters {
    @Test
    void an_encoded_slash_stays_encoded_in_the_backend_uri() throws Exception {
      var response = get("/acme/pets/prod/files/a%2Fb");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("path")).isEqualTo("/files/a%2Fb");
    }

    @Test
    void a_mapped_value_with_slashes_is_one_segment() throws Exception {
      var response = get("/acme/pets/prod/docs?file=a/b%2Fc");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().getString("path")).isEqualTo("/docs/a%2Fb%2Fc");
    }

    /** Refused even though it would be one encoded segment: some backends decode %2F first. */
    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "%2e%2e", "../../admin", "..%5Cadmin", "a%00"})
    void a_mapped_value_that_is_a_dot_segment_is_refused(String file) throws Exception {
      var response = get("/acme/pets/prod/docs?file=" + file);

      assertThat(response.status()).as(file).isEqualTo(400);
      assertThat(response.headers().get("x-backend")).isNull();
    }
  }
}
