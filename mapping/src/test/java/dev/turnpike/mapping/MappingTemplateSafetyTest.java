package dev.turnpike.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates are tenant code run on the gateway's event loop: what a hostile one can reach, and how
 * soon a runaway one stops.
 */
class MappingTemplateSafetyTest {
  /** For the tests about what a template reaches: the clock must not be what stops them. */
  private static final TemplateBudget RELAXED =
      TemplateBudget.DEFAULT.withTime(Duration.ofSeconds(20));

  /** Far above the default budget's 100 ms, far below anything that stalls a loop for others. */
  private static final Duration PROMPTLY = Duration.ofSeconds(3);

  private static final TemplateInput INPUT =
      new TemplateInput(
          "{\"name\":\"cat\",\"list\":[1,2]}",
          null,
          null,
          null,
          java.util.Map.of("identity.sourceIp", "192.0.2.1"),
          java.util.Map.of("env", "test"));

  private static Rendered render(String template, TemplateBudget budget) {
    return MappingTemplate.compile(template).render(INPUT, budget);
  }

  /** Renders with the default budget and checks it came back promptly. */
  private static Rendered renderPromptly(String template) {
    MappingTemplate compiled = MappingTemplate.compile(template);
    long start = System.nanoTime();
    Rendered rendered = compiled.render(INPUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    return rendered;
  }

  @Nested
  class Java_classes_are_out_of_reach {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "$input.getClass().forName('java.lang.Runtime').getRuntime()",
          "$input.class.forName('java.lang.System').getProperty('user.home')",
          "$context.class.classLoader",
          "$context.getClass().getClassLoader().loadClass('java.lang.Runtime')",
          "$util.class.classLoader.loadClass('java.lang.Runtime')",
          "$util.getClass().getProtectionDomain()",
          "$stageVariables.class.forName('java.lang.Runtime')",
          "$input.path('$').getClass().forName('java.lang.Runtime')",
          "$input.path('$').class.name",
          "$input.path('$.list').getClass().getName()",
          "$input.body.getClass().forName('java.lang.Runtime')",
          "$input.body.class.classLoader",
          "$input.params().getClass()",
          "$context.responseOverride.getClass()",
          "#foreach($i in [1])$foreach.getClass()$foreach.info.class#end",
          "#set($n = 1)$n.getClass().forName('java.lang.Runtime')",
          "#set($s = 'x')$s.class.forName('java.lang.Runtime').getMethods()",
          "#set($m = {})$m.getClass().getClassLoader()",
          "#set($s = 'a,b')#set($arr = $s.split(','))$arr.getClass().getComponentType()",
          "$input.path('$').entrySet().iterator().next().getClass()",
        })
    void renders_nothing_for_a_class_or_class_loader(String attack) {
      Rendered rendered = render(attack, RELAXED);

      assertThat(rendered).isEqualTo(new Rendered.Text(""));
    }

    @Test
    void a_class_loaded_by_name_is_never_called() {
      Rendered rendered =
          render(
              "#set($rt = $input.getClass().forName('java.lang.Runtime'))"
                  + "#set($p = $rt.getRuntime().exec('touch /tmp/turnpike-vtl-pwned'))"
                  + "[$rt][$p]",
              RELAXED);

      assertThat(rendered).isEqualTo(new Rendered.Text("[][]"));
      assertThat(new java.io.File("/tmp/turnpike-vtl-pwned")).doesNotExist();
    }

    @Test
    void a_macro_of_one_template_is_not_seen_by_another() {
      MappingTemplate.compile("#macro(greet)hijacked#end#greet()").render(INPUT, RELAXED);

      Rendered other = MappingTemplate.compile("#greet()").render(INPUT, RELAXED);

      assertThat(other).isEqualTo(new Rendered.Text("#greet()"));
    }
  }

  @Nested
  class Other_resources_are_refused_at_compile {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "#include('/etc/passwd')",
          "#parse('/etc/passwd')",
          "#{include}('/etc/passwd')",
          "#evaluate('#set($x = 1)')",
        })
    void refuses_include_parse_and_evaluate(String directive) {
      assertThatThrownBy(() -> MappingTemplate.compile("ok\n  " + directive))
          .isInstanceOf(TemplateSyntaxException.class)
          .hasMessageContaining("not available in mapping templates")
          .satisfies(
              e -> {
                TemplateSyntaxException syntax = (TemplateSyntaxException) e;
                assertThat(syntax.line()).isEqualTo(2);
                assertThat(syntax.column()).isEqualTo(3);
              });
    }
  }

  @Nested
  class Runaway_templates_fail_promptly {
    @Test
    void nested_loops_stop_at_the_step_budget() {
      Rendered rendered =
          renderPromptly(
              "#foreach($a in [1..100000])#foreach($b in [1..100000])#foreach($c in"
                  + " [1..100000])#end#end#end");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void an_endless_range_stops_at_the_step_budget() {
      Rendered rendered = renderPromptly("#foreach($i in [0..2147483647])#end");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_loop_without_steps_of_its_own_stops_at_the_step_budget() {
      Rendered rendered =
          render(
              "#foreach($i in [1..1000000])x#end",
              RELAXED.withMaxOutputChars(Integer.MAX_VALUE).withMaxSteps(1000));

      assertThat(rendered)
          .isEqualTo(
              new Rendered.Failed(
                  "the template took more than 1000 steps", Rendered.Overrun.LIMIT));
    }

    @Test
    void output_past_the_budget_fails() {
      // With time to spare: on a loaded machine the default 100 ms may end it before the output.
      Rendered rendered =
          render("#foreach($i in [1..100000])0123456789abcdef0123456789abcdef#end", RELAXED);

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).reason()).contains("characters");
      assertThat(((Rendered.Failed) rendered).overrun()).isEqualTo(Rendered.Overrun.LIMIT);
    }

    @Test
    void a_deadline_overrun_is_flagged_as_over_budget() {
      Rendered rendered =
          render(
              "#foreach($i in [1..100000000])#set($x = $i)#end",
              RELAXED.withTime(Duration.ofMillis(1)).withMaxSteps(Integer.MAX_VALUE));

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).overrun()).isEqualTo(Rendered.Overrun.TIME);
    }

    @Test
    void a_failure_on_the_input_is_not_over_budget() {
      Rendered rendered = render("$util.parseJson('not json')", RELAXED);

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).overBudget()).isFalse();
    }

    @Test
    void a_string_doubled_by_set_fails_before_it_fills_memory() {
      Rendered rendered =
          renderPromptly(
              "#set($s = 'xxxxxxxxxxxxxxxx')#foreach($i in [1..64])#set($s = \"$s$s\")#end"
                  + "$s.length()");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_string_doubled_by_concat_fails_before_it_fills_memory() {
      Rendered rendered =
          renderPromptly(
              "#set($s = 'xxxxxxxxxxxxxxxx')#foreach($i in [1..64])#set($s = $s.concat($s))#end");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_string_multiplied_by_replace_fails_before_it_is_built() {
      Rendered rendered =
          renderPromptly(
              "#set($s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')#foreach($i in [1..8])"
                  + "#set($s = $s.replace('', $s))#end");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_string_multiplied_by_a_regex_replacement_fails_before_it_is_built() {
      Rendered rendered =
          renderPromptly(
              "#set($s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')#foreach($i in [1..8])"
                  + "#set($s = $s.replaceAll('', $s))#end");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "$input.body.repeat(2000000000)",
          "#set($f = '%0999999999d')$f.format(1)",
          "#set($f = '%0999999999d')$f.formatted(1)",
        })
    void string_methods_that_grow_without_bound_are_not_there(String attack) {
      Rendered rendered = renderPromptly(attack);

      assertThat(rendered).isEqualTo(new Rendered.Text(""));
    }

    @Test
    void a_catastrophic_regular_expression_stops_at_the_deadline() {
      Rendered rendered =
          renderPromptly(
              "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')"
                  + "$s.matches('(.*a){20}b')");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).reason()).contains("ms");
    }

    @Test
    void a_list_nested_in_itself_prints_within_the_budget() {
      Rendered rendered =
          renderPromptly("#set($a = ['x'])#foreach($i in [1..64])#set($a = [$a, $a])#end$a");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void lists_nested_in_themselves_compare_within_the_budget() {
      Rendered rendered =
          renderPromptly(
              "#set($a = ['x'])#set($b = ['x'])#foreach($i in [1..64])#set($a = [$a, $a])"
                  + "#set($b = [$b, $b])#end#if($a == $b)same#end");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_list_holding_itself_fails_instead_of_overflowing() {
      Rendered rendered = renderPromptly("#set($a = [])#set($ignored = $a.add($a))$a");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void the_hash_of_a_nested_list_is_not_computed() {
      Rendered rendered =
          renderPromptly(
              "#set($a = ['x'])#foreach($i in [1..64])#set($a = [$a, $a])#end"
                  + "#set($m = {})#set($ignored = $m.put($a, 1))$a.hashCode()");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void macro_recursion_stops_at_its_depth() {
      Rendered rendered = renderPromptly("#macro(again)x#again()#end#again()");

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void a_deeply_nested_body_fails_instead_of_overflowing() {
      String deep = "[".repeat(200_000) + "]".repeat(200_000);
      MappingTemplate template = MappingTemplate.compile("$input.json('$')");
      long start = System.nanoTime();

      Rendered rendered =
          template.render(new TemplateInput(deep, null, null, null, null, null), RELAXED);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
    }

    @Test
    void parse_json_of_text_past_the_budget_is_not_parsed() {
      TemplateBudget small = new TemplateBudget(Duration.ofSeconds(20), 1 << 20, 100_000, 1000);
      String big = "{\"a\":\"" + "x".repeat(2000) + "\"}";

      Rendered rendered =
          MappingTemplate.compile("$util.parseJson($input.path('$.s')).a")
              .render(
                  new TemplateInput("{\"s\":" + quoted(big) + "}", null, null, null, null, null),
                  small);

      assertThat(rendered).isInstanceOf(Rendered.Failed.class);
      assertThat(((Rendered.Failed) rendered).reason()).contains("not parsed");
    }

    @Test
    void one_runaway_rendering_leaves_the_next_unharmed() {
      MappingTemplate runaway = MappingTemplate.compile("#foreach($i in [0..2147483647])#end");
      MappingTemplate fine = MappingTemplate.compile("$input.path('$.name')");

      assertThat(runaway.render(INPUT)).isInstanceOf(Rendered.Failed.class);
      assertThat(fine.render(INPUT, RELAXED)).isEqualTo(new Rendered.Text("cat"));
    }

    private static String quoted(String text) {
      return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }
}
