package dev.turnpike.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a rendering sees and gives back, beyond the documented examples. */
class MappingTemplateRenderTest {
  private static final TemplateBudget RELAXED =
      TemplateBudget.DEFAULT.withTime(Duration.ofSeconds(20));

  private static Rendered render(String template, TemplateInput input) {
    return MappingTemplate.compile(template).render(input, RELAXED);
  }

  private static TemplateInput body(String body) {
    return new TemplateInput(body, null, null, null, null, null);
  }

  private static String text(Rendered rendered) {
    assertThat(rendered).isInstanceOf(Rendered.Text.class);
    return ((Rendered.Text) rendered).text();
  }

  @Nested
  class Input {
    @Test
    void params_by_name_searches_path_then_querystring_then_headers() {
      TemplateInput input =
          new TemplateInput(
              "",
              Map.of("id", "from-path"),
              Map.of("id", "from-query", "q", "from-query"),
              Map.of("id", "from-header", "q", "from-header", "X-Trace", "t-1"),
              null,
              null);

      String out =
          text(render("$input.params('id') $input.params('q') $input.params('X-Trace')", input));

      assertThat(out).isEqualTo("from-path from-query t-1");
    }

    @Test
    void headers_are_found_whatever_the_case_asked_and_print_as_sent() {
      TemplateInput input = new TemplateInput("", null, null, Map.of("X-Trace", "t-1"), null, null);

      String out =
          text(
              render(
                  "$input.params('x-trace') $input.params().header.get('X-TRACE')"
                      + " $input.params().header",
                  input));

      assertThat(out).isEqualTo("t-1 t-1 {X-Trace=t-1}");
    }

    @Test
    void a_missing_parameter_is_an_empty_string() {
      assertThat(text(render("[$input.params('nope')]", body("")))).isEqualTo("[]");
    }

    @Test
    void params_lists_path_querystring_and_header_in_that_order() {
      TemplateInput input =
          new TemplateInput("", Map.of("p", "1"), Map.of("q", "2"), Map.of("h", "3"), null, null);

      assertThat(text(render("$input.params()", input)))
          .isEqualTo("{path={p=1}, querystring={q=2}, header={h=3}}");
    }

    @Test
    void a_change_to_what_path_gave_shows_in_json() {
      String out =
          text(
              render(
                  "#set($body = $input.path('$'))#set($body.url = \"https://example.com/$body.id\")"
                      + "$input.json('$')",
                  body("{\"id\":7}")));

      assertThat(out).isEqualTo("{\"id\":7,\"url\":\"https://example.com/7\"}");
    }

    @Test
    void a_body_that_is_not_json_reads_as_one_string() {
      String out =
          text(
              render(
                  "#foreach($pair in $input.path('$').split('&'))"
                      + "#set($kv = $pair.split('='))$util.urlDecode($kv[0])=$util.urlDecode($kv[1]);#end",
                  body("name=Jane+Doe&city=S%C3%A3o+Paulo")));

      assertThat(out).isEqualTo("name=Jane Doe;city=São Paulo;");
    }

    @Test
    void indefinite_paths_give_lists() {
      String out =
          text(
              render(
                  "$input.json('$.pets[*].id') $input.path('$..type').size()"
                      + " $input.json('$.pets[?(@.price < 10)].type')",
                  body(
                      "{\"pets\":[{\"id\":1,\"type\":\"dog\",\"price\":249.99},"
                          + "{\"id\":3,\"type\":\"fish\",\"price\":0.99}]}")));

      assertThat(out).isEqualTo("[1,3] 2 [\"fish\"]");
    }

    @Test
    void a_body_that_does_not_parse_fails_the_rendering() {
      Rendered rendered = render("$input.json('$.a')", body("{\"a\": [1, 2"));

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_jsonpath_that_does_not_parse_fails_the_rendering() {
      Rendered rendered = render("$input.json('$.a[?(')", body("{\"a\":1}"));

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).reason()).contains("is not a JSONPath");
    }
  }

  @Nested
  class Util {
    @Test
    void escape_javascript_follows_javascript_string_rules() {
      String out =
          text(
              render(
                  "$util.escapeJavaScript($input.path('$.s'))",
                  body("{\"s\":\"a'b\\\"c\\\\d/e\\n\\té\"}")));

      assertThat(out).isEqualTo("a\\'b\\\"c\\\\d\\/e\\n\\t\\u00E9");
    }

    @Test
    void parse_json_of_text_that_is_not_json_fails_the_rendering() {
      Rendered rendered = render("$util.parseJson('{not json')", body(""));

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).reason()).contains("not JSON");
    }

    @Test
    void parse_json_gives_values_vtl_can_walk_and_print() {
      String out =
          text(
              render(
                  "#set($o = $util.parseJson('{\"a\":{\"b\":[1,{\"c\":\"x/y\"}]},\"n\":2.50}'))"
                      + "$o.a.b[1].c $o.n $o.a $o.a.b.size()",
                  body("")));

      assertThat(out).isEqualTo("x/y 2.5 {b=[1,{\"c\":\"x\\/y\"}]} 2");
    }

    @Test
    void base64_decode_reads_standard_url_safe_and_wrapped_text() {
      String out =
          text(
              render(
                  "$util.base64Decode('SGVs\nbG8=')|$util.base64Decode('-_8')|$util.base64Encode('\u00ff')",
                  body("")));

      assertThat(out).isEqualTo("Hello|\ufffd\ufffd|w78=");
    }
  }

  @Nested
  class Context {
    @Test
    void dotted_names_nest_as_maps() {
      Map<String, String> context = new LinkedHashMap<>();
      context.put("identity.sourceIp", "192.0.2.1");
      context.put("authorizer.claims.sub", "u-1");
      context.put("authorizer.claims.email", "u@example.com");

      String out =
          text(
              render(
                  "$context.identity.sourceIp $context.authorizer.claims.sub"
                      + " $context.authorizer.claims.size() $context.identity",
                  new TemplateInput("", null, null, null, context, null)));

      assertThat(out).isEqualTo("192.0.2.1 u-1 2 {sourceIp=192.0.2.1}");
    }

    @Test
    void the_error_message_string_is_the_message_in_quotes() {
      String out =
          text(
              render(
                  "$context.error.messageString|$context.error.message",
                  new TemplateInput(
                      "", null, null, null, Map.of("error.message", "Forbidden"), null)));

      assertThat(out).isEqualTo("\"Forbidden\"|Forbidden");
    }

    @Test
    void a_response_template_overrides_status_and_headers() {
      Rendered out =
          render(
              "#set($context.responseOverride.status = 418)"
                  + "#set($context.responseOverride.header.Retry = '5')"
                  + "#set($context.responseOverride.header['X-Tea'] = 'earl grey')done",
              body(""));

      assertThat(out)
          .isEqualTo(new Rendered.Text("done", 418, Map.of("Retry", "5", "X-Tea", "earl grey")));
    }

    @Test
    void a_request_template_overrides_the_integration_requests_headers_query_and_path() {
      Rendered out =
          render(
              "#set($context.requestOverride.header.Accept = 'text/csv')"
                  + "#set($context.requestOverride.header['X-Trace'] = $input.params('t'))"
                  + "#set($context.requestOverride.querystring.page = 2)"
                  + "#set($context.requestOverride.path.petId = 'p-7')body",
              new TemplateInput("", null, Map.of("t", "abc"), null, null, null));

      assertThat(out)
          .isEqualTo(
              new Rendered.Text(
                  "body",
                  null,
                  Map.of(),
                  new Rendered.RequestOverride(
                      Map.of("Accept", "text/csv", "X-Trace", "abc"),
                      Map.of("page", "2"),
                      Map.of("petId", "p-7"))));
    }

    @Test
    void a_status_override_given_as_text_is_read_as_a_number() {
      Rendered out = render("#set($context.responseOverride.status = '404')", body(""));

      assertThat(out).isEqualTo(new Rendered.Text("", 404, Map.of()));
    }

    @Test
    void a_status_override_that_is_not_a_status_fails_the_rendering() {
      assertThat(render("#set($context.responseOverride.status = 'teapot')", body("")))
          .isInstanceOf(Rendered.Failed.class);
      assertThat(render("#set($context.responseOverride.status = 99)", body("")))
          .isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void an_override_set_twice_fails_the_rendering_as_the_guide_says() {
      Rendered out =
          render(
              "#set($context.responseOverride.status = 400)"
                  + "#set($context.responseOverride.status = 500)",
              body(""));

      assertThat(out).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) out).reason()).contains("more than once");
    }

    @Test
    void a_context_variable_the_call_does_not_have_prints_nothing() {
      assertThat(text(render("[$context.identity.apiKey][$stageVariables.none]", body(""))))
          .isEqualTo("[][]");
    }
  }

  @Nested
  class Language {
    @Test
    void lists_and_maps_a_template_writes_print_as_java_prints_them() {
      String out =
          text(
              render(
                  "#set($l = [1, 'two'])#set($m = {'a': $l})#set($r = [1..3])$l $m $l.size() $r",
                  body("")));

      assertThat(out).isEqualTo("[1, two] {a=[1, two]} 2 [1, 2, 3]");
    }

    @Test
    void foreach_scope_and_break_work() {
      String out =
          text(
              render(
                  "#foreach($i in [1..5])#if($i == 4)#break#end$i#if($foreach.hasNext),#end#end",
                  body("")));

      assertThat(out).isEqualTo("1,2,3,");
    }

    @Test
    void a_macro_defined_in_the_template_is_callable_in_it() {
      assertThat(text(render("#macro(twice $x)$x$x#end#twice('ab')", body("")))).isEqualTo("abab");
    }

    @Test
    void a_method_that_throws_fails_the_rendering() {
      Rendered rendered = render("#set($s = 'abc')$s.substring(10)", body(""));

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void comparisons_of_structures_compare_their_content() {
      String out =
          text(
              render(
                  "#if($input.path('$.a') == $input.path('$.b'))same#end"
                      + " #if($input.path('$.a') != $input.path('$.c'))different#end"
                      + " #if($input.path('$.d') == '{x=1}')text#end",
                  body("{\"a\":[1,{\"x\":2}],\"b\":[1,{\"x\":2}],\"c\":[1],\"d\":{\"x\":1}}")));

      assertThat(out).isEqualTo("same different text");
    }

    @Test
    void a_missing_value_is_not_different_from_the_empty_string() {
      assertThat(text(render("#if($nothing != '')set#{else}empty#end", body(""))))
          .isEqualTo("empty");
    }
  }
}
