package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.TemplateRules.Decision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateRulesTest {
  static final Set<String> JSON_ONLY = Set.of("application/json");

  @Test
  void a_content_type_picks_its_template_without_parameters_and_case() {
    assertThat(
            TemplateRules.requestTemplate(
                JSON_ONLY, PassthroughBehavior.NEVER, "Application/JSON; charset=utf-8"))
        .isEqualTo(new TemplateRules.RequestChoice(Decision.RENDER, "application/json"));
    assertThat(TemplateRules.requestTemplate(JSON_ONLY, PassthroughBehavior.NEVER, null).decision())
        .as("no Content-Type is application/json")
        .isEqualTo(Decision.RENDER);
  }

  @Test
  void passthrough_behaviours_decide_an_unmatched_type_as_the_developer_guide_tabulates() {
    String xml = "application/xml";
    assertThat(
            TemplateRules.requestTemplate(JSON_ONLY, PassthroughBehavior.WHEN_NO_MATCH, xml)
                .decision())
        .isEqualTo(Decision.PASS_THROUGH);
    assertThat(
            TemplateRules.requestTemplate(JSON_ONLY, PassthroughBehavior.WHEN_NO_TEMPLATES, xml)
                .decision())
        .isEqualTo(Decision.UNSUPPORTED);
    assertThat(
            TemplateRules.requestTemplate(Set.of(), PassthroughBehavior.WHEN_NO_TEMPLATES, xml)
                .decision())
        .isEqualTo(Decision.PASS_THROUGH);
    assertThat(TemplateRules.requestTemplate(Set.of(), PassthroughBehavior.NEVER, xml).decision())
        .isEqualTo(Decision.UNSUPPORTED);
    assertThat(TemplateRules.requestTemplate(JSON_ONLY, null, xml).decision())
        .as("when_no_match is the default")
        .isEqualTo(Decision.PASS_THROUGH);
  }

  @Test
  void the_response_template_follows_accept_then_json() {
    Set<String> types = Set.of("application/json", "application/xml");
    assertThat(TemplateRules.responseTemplate(types, "text/html, application/xml;q=0.9"))
        .isEqualTo("application/xml");
    assertThat(TemplateRules.responseTemplate(types, "text/html")).isEqualTo("application/json");
    assertThat(TemplateRules.responseTemplate(Set.of("application/xml"), null)).isNull();
  }

  @Test
  void a_mocks_status_comes_from_its_request_templates_output_else_200() {
    assertThat(TemplateRules.mockStatus(bytes("{\"statusCode\": 404}"))).isEqualTo(404);
    assertThat(TemplateRules.mockStatus(bytes("{\"statusCode\": \"503\"}"))).isEqualTo(503);
    assertThat(TemplateRules.mockStatus(bytes("{\"statusCode\": 99}"))).isEqualTo(200);
    assertThat(TemplateRules.mockStatus(bytes("not json"))).isEqualTo(200);
    assertThat(TemplateRules.mockStatus(new byte[0])).isEqualTo(200);
  }

  @Test
  void the_first_whole_match_selects_a_response_else_the_default() {
    List<IntegrationResponse> responses =
        List.of(
            new IntegrationResponse("4\\d{2}", 400, Map.of(), Map.of(), null),
            new IntegrationResponse(null, 200, Map.of(), Map.of(), null),
            new IntegrationResponse("404", 404, Map.of(), Map.of(), null));
    assertThat(TemplateRules.selectResponse(responses, "404")).isZero();
    assertThat(TemplateRules.selectResponse(responses, "4040")).as("matched whole").isEqualTo(1);
    assertThat(TemplateRules.selectResponse(responses.subList(0, 1), "500")).isEqualTo(-1);
  }

  @Test
  void a_hostile_pattern_on_a_long_message_finishes_and_backreferences_are_refused() {
    TemplateRules.SelectionPattern pattern = TemplateRules.SelectionPattern.compile("(a+)+$");
    // Backtracking engines take exponential time on this; RE2/J is linear.
    assertThat(pattern.matches("a".repeat(1000) + "!")).isFalse();
    assertThatThrownBy(() -> TemplateRules.SelectionPattern.compile("(a)\\1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
