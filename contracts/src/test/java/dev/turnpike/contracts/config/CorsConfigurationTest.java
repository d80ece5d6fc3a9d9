package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsConfigurationTest {
  static CorsConfiguration origins(String... origins) {
    return new CorsConfiguration(Arrays.asList(origins), null, null, null, null, false);
  }

  @Test
  void accepts_exact_origins_ports_ip_addresses_and_the_wildcard() {
    assertThat(
            origins(
                    "https://app.example.com",
                    "http://localhost:8080",
                    "http://127.0.0.1:3000",
                    "http://[::1]:8080",
                    "HTTPS://App.Example.com",
                    "*")
                .problems())
        .isEmpty();
  }

  @Test
  void refuses_origins_that_are_not_scheme_host_port() {
    assertThat(
            origins(
                    "app.example.com",
                    "https://app.example.com/",
                    "https://app.example.com/path",
                    "https://user@app.example.com",
                    "https://app.example.com:0",
                    "https://app.example.com:70000",
                    "https://*.example.com",
                    "",
                    null)
                .problems())
        .containsOnlyKeys(
            "/allowOrigins/0",
            "/allowOrigins/1",
            "/allowOrigins/2",
            "/allowOrigins/3",
            "/allowOrigins/4",
            "/allowOrigins/5",
            "/allowOrigins/6",
            "/allowOrigins/7",
            "/allowOrigins/8");
  }

  @Test
  void refuses_credentials_with_the_wildcard_origin() {
    var config = new CorsConfiguration(List.of("*"), null, null, null, null, true);
    assertThat(config.problems())
        .containsOnlyKeys("/allowCredentials")
        .extractingByKey("/allowCredentials")
        .asString()
        .contains("Fetch standard");
    assertThat(
            new CorsConfiguration(List.of("https://a.example"), null, null, null, null, true)
                .problems())
        .isEmpty();
  }

  @Test
  void refuses_unknown_methods_bad_header_names_and_max_age_outside_aws_range() {
    var config =
        new CorsConfiguration(
            List.of("https://a.example"),
            List.of("GET", "post", "*", "BREW"),
            List.of("Content-Type", "x api key"),
            List.of("x-total", "bad:header"),
            86_401,
            false);
    assertThat(config.problems())
        .containsOnlyKeys("/allowMethods/3", "/allowHeaders/1", "/exposeHeaders/1", "/maxAge");
    assertThat(new CorsConfiguration(null, null, null, null, -2, false).problems())
        .containsOnlyKeys("/maxAge");
    assertThat(new CorsConfiguration(null, null, null, null, -1, false).problems()).isEmpty();
    assertThat(new CorsConfiguration(null, null, null, null, 86_400, false).problems()).isEmpty();
  }

  @Test
  void bounds_how_many_entries_a_list_may_have() {
    String[] many = new String[CorsConfiguration.MAX_ENTRIES + 1];
    Arrays.fill(many, "https://a.example");
    assertThat(origins(many).problems()).containsOnlyKeys("/allowOrigins");
  }

  @Test
  void normalizes_origin_and_method_case_and_drops_duplicates() {
    var config =
        new CorsConfiguration(
            List.of("HTTPS://App.Example.com", "https://app.example.com"),
            List.of("get", "GET", "post"),
            List.of("X-Api-Key"),
            List.of(),
            600,
            true);
    var normalized = config.normalized();
    assertThat(normalized.allowOrigins()).containsExactly("https://app.example.com");
    assertThat(normalized.allowMethods()).containsExactly("GET", "POST");
    assertThat(normalized.allowHeaders()).containsExactly("X-Api-Key");
    assertThat(normalized.maxAgeSeconds()).isEqualTo(600);
    assertThat(normalized.allowCredentials()).isTrue();
  }

  @Test
  void travels_with_max_age_named_as_aws_names_it() {
    var snapshotCodec = DeploymentSnapshot.CODEC;
    assertThat(snapshotCodec).isNotNull();
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .valueToTree(new CorsConfiguration(List.of("*"), null, null, null, 300, false));
    assertThat(json.get("maxAge").asInt()).isEqualTo(300);
    assertThat(json.has("maxAgeSeconds")).isFalse();
  }
}
