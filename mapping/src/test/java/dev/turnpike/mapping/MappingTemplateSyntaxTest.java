package dev.turnpike.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A template that does not parse is refused when it is saved, with the place of the problem. */
class MappingTemplateSyntaxTest {
  private static TemplateSyntaxException syntaxError(String template) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> MappingTemplate.compile(template));
    assertThat(thrown).isInstanceOf(TemplateSyntaxException.class);
    return (TemplateSyntaxException) thrown;
  }

  @Test
  void an_unclosed_call_points_at_where_the_parser_stopped() {
    TemplateSyntaxException error =
        syntaxError("{\n  \"name\": \"$input.params('name')\",\n  \"body\": $input.json('$'\n}");

    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(1);
    assertThat(error.getMessage()).isNotBlank();
  }

  @Test
  void a_directive_without_its_end_is_refused() {
    TemplateSyntaxException error = syntaxError("#foreach($x in $input.path('$'))\n  $x\n");

    assertThat(error.line()).isGreaterThanOrEqualTo(2);
    assertThat(error.getMessage()).isNotBlank();
  }

  @Test
  void a_bad_set_points_at_its_line_and_column() {
    TemplateSyntaxException error = syntaxError("ok\nok\n   #set($x = )\n");

    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(14);
  }

  @Test
  void the_message_is_one_line_without_the_parser_expectations() {
    TemplateSyntaxException error = syntaxError("#if($a == )x#end");

    assertThat(error.getMessage()).doesNotContain("\n");
  }

  @Test
  void a_template_that_parses_compiles_and_keeps_its_source() {
    String source = "#set($a = 1)$a";

    assertThat(MappingTemplate.compile(source).source()).isEqualTo(source);
  }

  @Test
  void a_null_source_is_a_programming_error() {
    assertThatThrownBy(() -> MappingTemplate.compile(null))
        .isInstanceOf(NullPointerException.class);
  }
}
