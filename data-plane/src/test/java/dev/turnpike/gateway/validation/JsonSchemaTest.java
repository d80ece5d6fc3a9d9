package dev.turnpike.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static boolean accepts(String schema, String value) {
    return JsonSchema.compile(json(schema)).accepts(json(value));
  }

  @Nested
  class Objects {
    static final String PET =
        """
        {"type": "object", "required": ["name"], "additionalProperties": false,
         "properties": {"name": {"type": "string"}, "tags": {"type": "array",
           "items": {"type": "string"}, "maxItems": 2, "uniqueItems": true}}}
        """;

    @Test
    void accepts_an_object_with_its_required_and_declared_properties() {
      assertThat(accepts(PET, "{\"name\": \"rex\", \"tags\": [\"a\", \"b\"]}")).isTrue();
    }

    @Test
    void refuses_a_missing_required_property_an_undeclared_one_or_a_bad_item() {
      assertThat(accepts(PET, "{\"tags\": []}")).isFalse();
      assertThat(accepts(PET, "{\"name\": \"rex\", \"colour\": \"red\"}")).isFalse();
      assertThat(accepts(PET, "{\"name\": \"rex\", \"tags\": [1]}")).isFalse();
      assertThat(accepts(PET, "{\"name\": \"rex\", \"tags\": [\"a\", \"a\"]}")).isFalse();
      assertThat(accepts(PET, "{\"name\": \"rex\", \"tags\": [\"a\", \"b\", \"c\"]}")).isFalse();
      assertThat(accepts(PET, "[]")).isFalse();
    }
  }

  @Nested
  class Scalars {
    @Test
    void checks_types_including_integers_written_with_a_fraction_of_zero() {
      assertThat(accepts("{\"type\": \"integer\"}", "3")).isTrue();
      assertThat(accepts("{\"type\": \"integer\"}", "3.0")).isTrue();
      assertThat(accepts("{\"type\": \"integer\"}", "3.5")).isFalse();
      assertThat(accepts("{\"type\": [\"string\", \"null\"]}", "null")).isTrue();
      assertThat(accepts("{\"type\": \"boolean\"}", "\"true\"")).isFalse();
    }

    @Test
    void checks_draft_4_bounds_lengths_patterns_and_enums() {
      String age = "{\"minimum\": 0, \"maximum\": 10, \"exclusiveMaximum\": true}";
      assertThat(accepts(age, "0")).isTrue();
      assertThat(accepts(age, "10")).isFalse();
      assertThat(accepts(age, "-1")).isFalse();
      assertThat(accepts("{\"exclusiveMinimum\": 0}", "0")).isFalse();
      assertThat(accepts("{\"exclusiveMinimum\": 0}", "0.1")).isTrue();
      assertThat(accepts("{\"multipleOf\": 0.5}", "1.5")).isTrue();
      assertThat(accepts("{\"multipleOf\": 0.5}", "1.2")).isFalse();
      assertThat(accepts("{\"minLength\": 2, \"maxLength\": 3}", "\"ab\"")).isTrue();
      assertThat(accepts("{\"minLength\": 2, \"maxLength\": 3}", "\"abcd\"")).isFalse();
      assertThat(accepts("{\"pattern\": \"^[a-z]+$\"}", "\"abc\"")).isTrue();
      assertThat(accepts("{\"pattern\": \"^[a-z]+$\"}", "\"ab1\"")).isFalse();
      assertThat(accepts("{\"enum\": [\"cat\", \"dog\"]}", "\"dog\"")).isTrue();
      assertThat(accepts("{\"enum\": [\"cat\", \"dog\"]}", "\"cow\"")).isFalse();
    }
  }

  @Nested
  class Combinations {
    @Test
    void all_any_one_and_not_combine_their_schemas() {
      assertThat(accepts("{\"allOf\": [{\"minimum\": 1}, {\"maximum\": 3}]}", "2")).isTrue();
      assertThat(accepts("{\"allOf\": [{\"minimum\": 1}, {\"maximum\": 3}]}", "4")).isFalse();
      assertThat(accepts("{\"anyOf\": [{\"type\": \"string\"}, {\"minimum\": 3}]}", "1")).isFalse();
      assertThat(accepts("{\"oneOf\": [{\"minimum\": 1}, {\"minimum\": 2}]}", "3")).isFalse();
      assertThat(accepts("{\"oneOf\": [{\"minimum\": 1}, {\"minimum\": 2}]}", "1")).isTrue();
      assertThat(accepts("{\"not\": {\"type\": \"null\"}}", "null")).isFalse();
    }
  }

  @Test
  void unknown_keywords_never_refuse_a_body() {
    assertThat(accepts("{\"format\": \"email\", \"x-anything\": 1}", "\"not an email\"")).isTrue();
  }

  @Test
  void a_malformed_schema_fails_to_compile_with_the_reason() {
    assertThatThrownBy(() -> JsonSchema.compile(json("{\"type\": \"thing\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("thing");
    assertThatThrownBy(() -> JsonSchema.compile(json("{\"pattern\": \"[\"}")))
        .hasMessageContaining("pattern '['");
  }

  @Test
  void refuses_patterns_that_cannot_run_in_linear_time() {
    for (String pattern : List.of("(?=a)", "(a)\\\\1", "(a{1000}){1000}")) {
      assertThatThrownBy(
              () ->
                  JsonSchema.compile(
                      json("{\"properties\": {\"p\": {\"pattern\": \"" + pattern + "\"}}}")))
          .as(pattern)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pattern '");
    }
  }

  @Test
  void weighs_the_patterns_of_every_sub_schema() {
    JsonSchema schema =
        JsonSchema.compile(
            json(
                """
                {"properties": {"a": {"pattern": "^a{10}$"}},
                 "items": {"pattern": "abc"},
                 "anyOf": [{"pattern": "x"}], "not": {"pattern": "yy"}}
                """));

    // ^ and $ are a step each.
    assertThat(schema.patternWeight()).isEqualTo(12 + 3 + 1 + 2);
    assertThat(JsonSchema.compile(json("{\"type\": \"string\"}")).patternWeight()).isZero();
  }
}
