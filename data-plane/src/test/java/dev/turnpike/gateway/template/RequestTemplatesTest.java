package dev.turnpike.gateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.PassthroughBehavior;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API Gateway's passthrough behaviours, as its developer guide tabulates them. */
class RequestTemplatesTest {
  static final Map<String, String> JSON_ONLY = Map.of("application/json", "{}");

  static RequestTemplates.Selection select(
      Map<String, String> templates, PassthroughBehavior behavior, String contentType) {
    return RequestTemplates.compile(templates, behavior).select(contentType);
  }

  @Test
  void a_matching_type_renders_whatever_the_behaviour() {
    for (PassthroughBehavior behavior : PassthroughBehavior.values()) {
      assertThat(select(JSON_ONLY, behavior, "Application/JSON; charset=UTF-8"))
          .isInstanceOf(RequestTemplates.Render.class);
    }
  }

  @Test
  void a_body_without_content_type_is_taken_as_json() {
    assertThat(select(JSON_ONLY, PassthroughBehavior.NEVER, null))
        .isInstanceOf(RequestTemplates.Render.class);
  }

  @Test
  void when_no_match_passes_an_unmatched_type() {
    assertThat(select(JSON_ONLY, PassthroughBehavior.WHEN_NO_MATCH, "text/plain"))
        .isInstanceOf(RequestTemplates.PassThrough.class);
    assertThat(select(JSON_ONLY, null, "text/plain"))
        .isInstanceOf(RequestTemplates.PassThrough.class);
  }

  @Test
  void when_no_templates_passes_only_without_templates() {
    assertThat(select(JSON_ONLY, PassthroughBehavior.WHEN_NO_TEMPLATES, "text/plain"))
        .isInstanceOf(RequestTemplates.Unsupported.class);
    assertThat(select(Map.of(), PassthroughBehavior.WHEN_NO_TEMPLATES, "text/plain"))
        .isInstanceOf(RequestTemplates.PassThrough.class);
  }

  @Test
  void never_refuses_an_unmatched_type_even_without_templates() {
    assertThat(select(JSON_ONLY, PassthroughBehavior.NEVER, "text/plain"))
        .isInstanceOf(RequestTemplates.Unsupported.class);
    assertThat(select(Map.of(), PassthroughBehavior.NEVER, "text/plain"))
        .isInstanceOf(RequestTemplates.Unsupported.class);
  }

  @Test
  void a_template_that_does_not_parse_is_refused_with_its_type_and_place() {
    assertThatThrownBy(
            () ->
                RequestTemplates.compile(
                    Map.of("application/json", "{\n#if($x"), PassthroughBehavior.WHEN_NO_MATCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("application/json")
        .hasMessageContaining("line 2");
  }
}
