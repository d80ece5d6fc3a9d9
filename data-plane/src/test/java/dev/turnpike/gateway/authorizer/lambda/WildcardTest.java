package dev.turnpike.gateway.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WildcardTest {
  static final String ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/7";

  static boolean matches(String pattern, String text) {
    return Wildcard.matches(pattern, text, false, new Wildcard.Steps(1_000_000));
  }

  @Test
  void a_literal_matches_only_itself() {
    assertThat(matches(ARN, ARN)).isTrue();
    assertThat(matches(ARN, ARN + "/more")).isFalse();
    assertThat(matches(ARN + "/more", ARN)).isFalse();
  }

  @Test
  void star_spans_slashes_and_may_be_empty() {
    assertThat(matches("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*", ARN)).isTrue();
    assertThat(matches("arn:aws:execute-api:*:*:a1b2c3/*/GET/*", ARN)).isTrue();
    assertThat(matches("arn:aws:execute-api:*:*:a1b2c3/*/POST/*", ARN)).isFalse();
    assertThat(matches("*", ARN)).isTrue();
    assertThat(matches("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/7*", ARN))
        .isTrue();
  }

  @Test
  void question_mark_is_exactly_one_character() {
    assertThat(matches("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/?", ARN))
        .isTrue();
    assertThat(matches("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets/??", ARN))
        .isFalse();
  }

  @Test
  void resources_compare_case_but_actions_may_ignore_it() {
    assertThat(matches(ARN.replace("GET", "get"), ARN)).isFalse();
    assertThat(
            Wildcard.matches(
                "EXECUTE-API:invoke", "execute-api:Invoke", true, new Wildcard.Steps(1000)))
        .isTrue();
  }

  @Test
  void a_pattern_built_to_backtrack_runs_out_of_its_budget_instead_of_stalling() {
    // Every widening of the star re-reads the long literal: 3,000 widenings of 1,000 steps each.
    String text = "a".repeat(4000);
    String pattern = "*" + "a".repeat(1000) + "b";
    long started = System.nanoTime();
    assertThatThrownBy(() -> Wildcard.matches(pattern, text, false, new Wildcard.Steps(1_000_000)))
        .isInstanceOf(Wildcard.TooCostly.class);
    assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
  }
}
