package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResponseParameterMappingTest {
  private static Map<String, String> apply(Map<String, String> mappings, String body) {
    Map<String, String> backend = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    backend.put("X-Backend", "b-1");
    Map<String, String> out = new LinkedHashMap<>();
    ResponseParameterMapping.parse(mappings)
        .apply(backend::get, () -> body.getBytes(StandardCharsets.UTF_8), out::put);
    return out;
  }

  @Test
  void literals_headers_bodies_and_body_fields_are_mapped_to_method_response_headers() {
    Map<String, String> mappings = new LinkedHashMap<>();
    mappings.put("method.response.header.x-literal", "'turnpike'");
    mappings.put("method.response.header.x-header", "integration.response.header.x-backend");
    mappings.put("method.response.header.x-body", "integration.response.body");
    mappings.put("method.response.header.x-code", "integration.response.body.error.code");
    mappings.put("method.response.header.x-dollar", "integration.response.body.$.error.code");
    mappings.put("method.response.header.x-object", "integration.response.body.error");

    assertThat(apply(mappings, "{\"error\":{\"code\":42}}"))
        .containsExactly(
            Map.entry("x-literal", "turnpike"),
            Map.entry("x-header", "b-1"),
            Map.entry("x-body", "{\"error\":{\"code\":42}}"),
            Map.entry("x-code", "42"),
            Map.entry("x-dollar", "42"),
            Map.entry("x-object", "{\"code\":42}"));
  }

  @Test
  void what_the_response_does_not_carry_sets_nothing() {
    Map<String, String> mappings = new LinkedHashMap<>();
    mappings.put("method.response.header.x-missing", "integration.response.header.x-none");
    mappings.put("method.response.header.x-field", "integration.response.body.absent");
    mappings.put("method.response.header.x-index", "integration.response.body.items[0]");

    assertThat(apply(mappings, "not json")).isEmpty();
    assertThat(apply(mappings, "{\"items\":[1]}")).isEmpty();
  }

  @Test
  void the_validation_and_the_evaluation_refuse_the_same_mappings() {
    assertThat(ResponseParameterMapping.problem("integration.request.header.x", "'a'"))
        .isEqualTo(ResponseParameterMapping.TARGET_RULE);
    assertThat(ResponseParameterMapping.problem("method.response.header.x", "method.request.x"))
        .isEqualTo(ResponseParameterMapping.SOURCE_RULE);
    assertThat(ResponseParameterMapping.problem("method.response.header.x", "'a'")).isNull();
    assertThatThrownBy(
            () -> ResponseParameterMapping.parse(Map.of("method.response.header.x", "context.x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ResponseParameterMapping.SOURCE_RULE);
  }
}
