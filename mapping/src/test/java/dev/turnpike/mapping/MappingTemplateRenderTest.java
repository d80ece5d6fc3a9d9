package dev.turnpike.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MappingTemplateRenderTest {
  private static Rendered render(String template, TemplateInput input) {
    return MappingTemplate.compile(template).render(input);
  }

  private static TemplateInput body(String body) {
    return new TemplateInput(body, null, null, null, null, null);
  }

  @Test
  void renders_input_json_and_path_of_the_body() {
    Rendered out =
        render(
            "{\"name\": $input.json('$.name'), \"n\": $input.path('$.items').size()}",
            body("{\"name\":\"cat\",\"items\":[1,2,3]}"));
    assertThat(out).isEqualTo(new Rendered.Text("{\"name\": \"cat\", \"n\": 3}"));
  }

  @Test
  void renders_context_stage_variables_and_params() {
    TemplateInput input =
        new TemplateInput(
            "",
            Map.of("id", "abc"),
            Map.of("q", "1"),
            Map.of("X-Trace", "t"),
            Map.of("identity.sourceIp", "192.0.2.1", "stage", "prod"),
            Map.of("env", "test"));
    Rendered out =
        render(
            "$context.stage $context.identity.sourceIp $stageVariables.env"
                + " $input.params('id') $input.params('q') $input.params('x-trace')"
                + " $input.params().header.get('x-trace')",
            input);
    assertThat(out).isEqualTo(new Rendered.Text("prod 192.0.2.1 test abc 1 t t"));
  }

  @Test
  void a_response_template_overrides_status_and_headers() {
    Rendered out =
        render(
            "#set($context.responseOverride.status = 418)"
                + "#set($context.responseOverride.header['X-Tea'] = 'earl grey')done",
            body(""));
    assertThat(out).isEqualTo(new Rendered.Text("done", 418, Map.of("X-Tea", "earl grey")));
  }
}
