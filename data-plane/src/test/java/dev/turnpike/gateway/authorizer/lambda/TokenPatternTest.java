package dev.turnpike.gateway.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenPatternTest {
  @Test
  void the_whole_token_must_match() {
    TokenPattern pattern = TokenPattern.compile("Bearer [-0-9a-zA-Z._]+");
    assertThat(pattern.matches("Bearer abc.def-1")).isTrue();
    assertThat(pattern.matches("Bearer abc def")).isFalse();
    assertThat(pattern.matches("xBearer abc")).isFalse();
  }

  @Test
  void a_catastrophically_backtracking_expression_gives_up_within_its_budget() {
    // Unbounded, java.util.regex needs seconds for (.*a){12} on 26 characters; {20} on 60 would
    // take longer than the universe has. The budget ends it after 1,488 character reads.
    TokenPattern pattern = TokenPattern.compile("(.*a){20}");
    String token = "a".repeat(60) + "!";
    boolean matched =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pattern.matches(token));
    assertThat(matched).isFalse();
  }

  @Test
  void a_backreference_that_backtracks_exponentially_gives_up_too() {
    TokenPattern pattern = TokenPattern.compile("^((a+)+)\\1$");
    boolean matched =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> pattern.matches("a".repeat(40) + "!"));
    assertThat(matched).isFalse();
  }

  @Test
  void nested_counted_repetitions_that_loop_without_reading_are_refused_at_deployment() {
    // These spin without reading the token (15 s for three levels), out of the budget's reach.
    assertThatThrownBy(() -> TokenPattern.compile("((){1000}){1000}x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiply");
    assertThatThrownBy(() -> TokenPattern.compile("^(?=((a?){100}){100}).*$"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenPattern.compile("(?:x{5,}){50}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ordinary_repetitions_and_escapes_are_weighed_as_they_are() {
    assertThat(TokenPattern.repetitionProduct("^Bearer [A-Za-z0-9]{20,40}$")).isEqualTo(40);
    assertThat(TokenPattern.repetitionProduct("(ab{2}){3}")).isEqualTo(6);
    assertThat(TokenPattern.repetitionProduct("\\{1000\\}[{1000}]\\Q{1000}\\E")).isEqualTo(1);
    assertThat(TokenPattern.repetitionProduct("(a+)*(b|c)?")).isEqualTo(1);
  }

  @Test
  void a_long_token_is_read_within_the_budget_by_a_plain_expression() {
    TokenPattern pattern = TokenPattern.compile("Bearer [-0-9a-zA-Z._]+");
    assertThat(pattern.matches("Bearer " + "x".repeat(TokenPattern.MAX_TOKEN_CHARS - 7))).isTrue();
  }

  @Test
  void a_token_past_the_length_bound_does_not_match() {
    TokenPattern pattern = TokenPattern.compile(".*");
    assertThat(pattern.matches("a".repeat(TokenPattern.MAX_TOKEN_CHARS))).isTrue();
    assertThat(pattern.matches("a".repeat(TokenPattern.MAX_TOKEN_CHARS + 1))).isFalse();
  }

  @Test
  void an_expression_that_does_not_compile_is_refused() {
    assertThatThrownBy(() -> TokenPattern.compile("Bearer (unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not compile");
  }
}
