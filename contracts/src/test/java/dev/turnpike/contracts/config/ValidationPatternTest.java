package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationPatternTest {
  @Nested
  class Acceptable {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "^[a-z]+$",
          "^\\d{3}-\\d{2}-\\d{4}$",
          "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
          "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
          "^(a+)+$",
          "\\/api\\/v[12]",
          "(?i)^yes|no$",
          "^(?<year>\\d{4})-(?:0[1-9]|1[0-2])$",
          "[[:alpha:]]+\\p{L}*",
          "^\\u00e9t\\u00E9$",
          "[a-z]{1000}",
          "a{,3}"
        })
    void compiles_what_re2_runs_in_linear_time(String source) {
      assertThat(ValidationPattern.problem(source)).as(source).isNull();
    }

    @Test
    void matches_anywhere_as_json_schema_says() {
      assertThat(ValidationPattern.compile("b+").find("abbbc")).isTrue();
      assertThat(ValidationPattern.compile("^b+$").find("abbbc")).isFalse();
      assertThat(ValidationPattern.compile("^\\u00e9$").find("é")).isTrue();
      assertThat(ValidationPattern.compile("^\\\\u0041$").find("\\u0041")).isTrue();
    }

    @Test
    void a_catastrophic_backtracking_pattern_answers_at_once() {
      ValidationPattern nested = ValidationPattern.compile("^(a+)+$");
      String attack = "a".repeat(50) + "!";

      long started = System.nanoTime();
      boolean matched = nested.find(attack);

      assertThat(matched).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Nested
  class Refused {
    @ParameterizedTest
    @ValueSource(strings = {"(?=a)b", "a(?!b)", "(?<=a)b", "(?<!a)b", "(a)\\1", "(?<n>a)\\k<n>"})
    void refuses_lookaround_and_backreferences_naming_them(String source) {
      assertThatThrownBy(() -> ValidationPattern.compile(source))
          .as(source)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(source)
          .hasMessageContaining("lookahead, lookbehind and backreferences are not supported");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"(a{1000}){1000}", "((a{100}){100}){100}", "a{1000}b", "(x{10}|y){200}"})
    void refuses_programs_that_repetition_makes_too_big(String source) {
      assertThat(ValidationPattern.problem(source)).as(source).contains("too complex");
    }

    @Test
    void weighs_before_compiling_so_a_huge_program_costs_nothing_to_refuse() {
      long started = System.nanoTime();
      String problem = ValidationPattern.problem("((((a{1000}){1000}){1000}){1000})");

      assertThat(problem).contains("too complex");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(ValidationPattern.problem("(".repeat(10_000) + "a" + ")".repeat(10_000)))
          .contains("too complex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "a{1001}", "a**"})
    void refuses_what_does_not_parse(String source) {
      assertThat(ValidationPattern.problem(source)).as(source).isNotNull();
    }
  }

  @Nested
  class Weight {
    @Test
    void counts_atoms_and_multiplies_counted_repetitions() {
      assertThat(PatternWeight.of("abc")).isEqualTo(3);
      assertThat(PatternWeight.of("a{10}")).isEqualTo(10);
      assertThat(PatternWeight.of("(ab){10}")).isEqualTo(20);
      assertThat(PatternWeight.of("((ab){10}){3,5}")).isEqualTo(100);
      assertThat(PatternWeight.of("[a-z{}]{4,}")).isEqualTo(5);
      assertThat(PatternWeight.of("\\Qa{1000}\\E")).isEqualTo(7);
      assertThat(PatternWeight.of("(?i)a|b")).isEqualTo(3);
      assertThat(PatternWeight.of("a{,3}")).isEqualTo(5);
    }
  }
}
