package dev.turnpike.gateway.cors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.CorsConfiguration;
import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {
  static final String APP = "https://app.example.com";

  static CorsPolicy exact(boolean credentials) {
    return CorsPolicy.compile(
        new CorsConfiguration(
            List.of(APP, "http://localhost:8080"),
            List.of("GET", "POST"),
            List.of("content-type", "x-api-key"),
            List.of("x-total-count", "x-request-id"),
            600,
            credentials));
  }

  static CorsPolicy anyOrigin() {
    return CorsPolicy.compile(
        new CorsConfiguration(List.of("*"), List.of("*"), List.of("*"), List.of(), null, false));
  }

  @Test
  void an_api_without_cors_compiles_to_no_policy() {
    assertThat(CorsPolicy.compile(null)).isNull();
  }

  @Nested
  class OriginMatching {
    @Test
    void allows_only_the_listed_origins_exactly() {
      CorsPolicy policy = exact(false);
      assertThat(policy.allows(APP)).isTrue();
      assertThat(policy.allows("http://localhost:8080")).isTrue();
      assertThat(policy.allows("http://app.example.com")).isFalse();
      assertThat(policy.allows("https://app.example.com:8443")).isFalse();
      assertThat(policy.allows("https://app.example.com.evil.example")).isFalse();
      assertThat(policy.allows("https://evil.example")).isFalse();
      assertThat(policy.allows("null")).isFalse();
      assertThat(policy.allows(null)).isFalse();
    }

    @Test
    void origins_configured_in_upper_case_match_what_browsers_send() {
      CorsPolicy policy =
          CorsPolicy.compile(
              new CorsConfiguration(
                  List.of("HTTPS://App.Example.COM"), null, null, null, null, false));
      assertThat(policy.allows(APP)).isTrue();
    }

    @Test
    void the_wildcard_allows_any_origin_and_answers_star() {
      CorsPolicy policy = anyOrigin();
      assertThat(policy.allows("https://anyone.example")).isTrue();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      policy.decorate(headers, "https://anyone.example");
      assertThat(headers.get("access-control-allow-origin")).isEqualTo("*");
      assertThat(headers.get("access-control-allow-credentials")).isNull();
    }
  }

  @Nested
  class ActualResponses {
    @Test
    void an_allowed_origin_gets_its_origin_back_exposed_headers_and_vary() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      exact(false).decorate(headers, APP);
      assertThat(headers.get("access-control-allow-origin")).isEqualTo(APP);
      assertThat(headers.get("access-control-expose-headers"))
          .isEqualTo("x-total-count,x-request-id");
      assertThat(headers.get("access-control-allow-credentials")).isNull();
      assertThat(headers.getAll("vary")).containsExactly("Origin");
      // Preflight-only headers do not belong on an actual response.
      assertThat(headers.get("access-control-allow-methods")).isNull();
      assertThat(headers.get("access-control-max-age")).isNull();
    }

    @Test
    void credentials_are_allowed_only_when_configured() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      exact(true).decorate(headers, APP);
      assertThat(headers.get("access-control-allow-credentials")).isEqualTo("true");
      assertThat(headers.get("access-control-allow-origin")).isEqualTo(APP);
    }

    @Test
    void an_origin_not_allowed_gets_no_cors_headers_but_vary() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      exact(true).decorate(headers, "https://evil.example");
      assertThat(headers.names()).containsExactly("vary");
      assertThat(headers.get("vary")).isEqualTo("Origin");
    }

    @Test
    void the_backend_cors_headers_are_replaced_never_doubled() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      headers.add("Access-Control-Allow-Origin", "*");
      headers.add("access-control-allow-origin", "https://evil.example");
      headers.add("Access-Control-Allow-Credentials", "true");
      headers.add("Access-Control-Expose-Headers", "x-secret");
      headers.add("Access-Control-Allow-Methods", "DELETE");
      exact(false).decorate(headers, APP);
      assertThat(headers.getAll("access-control-allow-origin")).containsExactly(APP);
      assertThat(headers.getAll("access-control-expose-headers"))
          .containsExactly("x-total-count,x-request-id");
      assertThat(headers.get("access-control-allow-credentials")).isNull();
      assertThat(headers.get("access-control-allow-methods")).isNull();
    }

    @Test
    void a_backend_that_wants_its_cors_headers_gets_them_removed_for_a_foreign_origin() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      headers.add("Access-Control-Allow-Origin", "https://evil.example");
      exact(false).decorate(headers, "https://evil.example");
      assertThat(headers.get("access-control-allow-origin")).isNull();
    }

    @Test
    void the_backend_vary_is_extended_once() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      headers.add("Vary", "Accept-Encoding");
      exact(false).decorate(headers, APP);
      assertThat(headers.getAll("vary")).containsExactly("Accept-Encoding, Origin");

      MultiMap already = MultiMap.caseInsensitiveMultiMap();
      already.add("Vary", "origin, Accept");
      exact(false).decorate(already, APP);
      assertThat(already.getAll("vary")).containsExactly("origin, Accept");

      MultiMap star = MultiMap.caseInsensitiveMultiMap();
      star.add("Vary", "*");
      exact(false).decorate(star, APP);
      assertThat(star.getAll("vary")).containsExactly("*");
    }
  }
}
