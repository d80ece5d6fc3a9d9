package dev.turnpike.controlplane.openapi;

import static dev.turnpike.controlplane.openapi.DocumentMapperTest.document;
import static dev.turnpike.controlplane.openapi.DocumentMapperTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.openapi.DocumentMapperTest.Mapped;
import dev.turnpike.controlplane.problem.FieldError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Body-model patterns at import: only what the gateway runs in linear time gets in. */
class SchemaPatternsTest {
  static final String VALIDATES_BODY =
      ", \"x-amazon-apigateway-request-validators\": {\"b\": {\"validateRequestBody\": true}},"
          + " \"x-amazon-apigateway-request-validator\": \"b\"";

  static Mapped importBody(String schema, String components, String validators) {
    return map(
        document(
            "\"/a\": {\"post\": {\"requestBody\": {\"content\": {\"application/json\":"
                + " {\"schema\": "
                + schema
                + "}}}, \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
            components + validators));
  }

  static Mapped importBody(String schema) {
    return importBody(schema, "", VALIDATES_BODY);
  }

  static String json(String pattern) {
    return pattern.replace("\\", "\\\\");
  }

  @Nested
  class Refused {
    @Test
    void a_lookahead_in_a_referenced_model_is_an_error_at_its_pointer() {
      Mapped m =
          importBody(
              "{\"$ref\": \"#/components/schemas/Pet\"}",
              ", \"components\": {\"schemas\": {\"Pet\": {\"type\": \"object\", \"properties\":"
                  + " {\"name\": {\"type\": \"string\", \"pattern\": \"^(?=.*[a-z]).+$\"}}}}}",
              VALIDATES_BODY);

      assertThat(m.errorPointers())
          .containsExactly("/components/schemas/Pet/properties/name/pattern");
      FieldError error = m.findings().errors().get(0);
      assertThat(error.message())
          .contains("^(?=.*[a-z]).+$")
          .contains("lookahead, lookbehind and backreferences are not supported");
    }

    @Test
    void a_backreference_inside_items_and_combinations_is_an_error_at_each_pointer() {
      Mapped m =
          importBody(
              "{\"type\": \"array\", \"items\": {\"pattern\": \""
                  + json("(a)\\1")
                  + "\"}, \"anyOf\": [{\"not\": {\"pattern\": \"(?<!x)y\"}}]}");

      String schema = "/paths/~1a/post/requestBody/content/application~1json/schema";
      assertThat(m.errorPointers())
          .containsExactlyInAnyOrder(schema + "/items/pattern", schema + "/anyOf/0/not/pattern");
    }

    @Test
    void a_pattern_whose_repetitions_multiply_past_the_limit_is_an_error() {
      Mapped m = importBody("{\"properties\": {\"code\": {\"pattern\": \"^(a{1000}){1000}$\"}}}");

      assertThat(m.findings().errors())
          .singleElement()
          .satisfies(error -> assertThat(error.message()).contains("too complex"));
    }
  }

  @Nested
  class Accepted {
    @Test
    void linear_time_patterns_import_and_reach_the_stored_model() {
      Mapped m =
          importBody(
              "{\"properties\": {\"a\": {\"pattern\": \"^(a+)+$\"},"
                  + " \"b\": {\"pattern\": \""
                  + json("^\\d{3}-\\u00e9[[:alpha:]]*$")
                  + "\"}}}");

      assertThat(m.findings().errors()).isEmpty();
      assertThat(
              m.route("POST", "/a").validator().bodySchema().at("/properties/a/pattern").asText())
          .isEqualTo("^(a+)+$");
    }

    @Test
    void text_that_only_looks_like_a_pattern_is_not_checked() {
      Mapped m =
          importBody(
              "{\"properties\": {\"pattern\": {\"type\": \"string\"}},"
                  + " \"example\": {\"pattern\": \"(?=x)\"}, \"enum\": [{\"pattern\": \"(?=x)\"}]}");

      assertThat(m.findings().errors()).isEmpty();
    }

    @Test
    void a_model_no_validator_checks_is_not_refused_for_its_patterns() {
      Mapped m = importBody("{\"properties\": {\"a\": {\"pattern\": \"(?=x)\"}}}", "", "");

      assertThat(m.findings().errors()).isEmpty();
    }
  }
}
