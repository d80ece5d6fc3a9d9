package dev.turnpike.gateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.turnpike.contracts.config.IntegrationResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selection patterns: whole matches in order, the default otherwise, bounded on hostile input. */
class IntegrationResponsesTest {
  static IntegrationResponse response(String pattern, int status) {
    return new IntegrationResponse(pattern, status, Map.of(), Map.of(), null);
  }

  @Test
  void the_first_whole_match_answers_else_the_default() {
    IntegrationResponses responses =
        IntegrationResponses.compile(
            List.of(response("4\\d{2}", 400), response(null, 200), response("404", 404)));
    assertThat(responses.select("404").statusCode()).isEqualTo(400);
    assertThat(responses.select("500").statusCode()).isEqualTo(200);
    assertThat(responses.select("4040").statusCode()).isEqualTo(200);
  }

  @Test
  void without_a_default_an_unmatched_status_selects_nothing() {
    IntegrationResponses responses = IntegrationResponses.compile(List.of(response("2..", 200)));
    assertThat(responses.select("500")).isNull();
  }

  @Test
  void an_error_message_matches_across_its_words() {
    IntegrationResponses responses =
        IntegrationResponses.compile(List.of(response(".*Not found.*", 404), response(null, 200)));
    assertThat(responses.select("Error: Not found: pet 7").statusCode()).isEqualTo(404);
  }

  /** Attack: a backtracking engine takes exponential time on (a+)+$ against "aaaa...!" (2^1000). */
  @Test
  void a_catastrophic_pattern_on_a_hostile_message_finishes_at_once() {
    IntegrationResponses responses =
        IntegrationResponses.compile(List.of(response("(a+)+$", 500), response(null, 200)));
    String hostile = "a".repeat(1000) + "!";
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> assertThat(responses.select(hostile).statusCode()).isEqualTo(200));
  }

  @Test
  void matching_reads_at_most_the_first_kilobyte_of_a_message() {
    IntegrationResponses responses =
        IntegrationResponses.compile(List.of(response(".*tail", 500), response(null, 200)));
    assertThat(responses.select("x".repeat(2000) + "tail").statusCode()).isEqualTo(200);
    assertThat(responses.select("x".repeat(10) + "tail").statusCode()).isEqualTo(500);
  }

  @Test
  void a_pattern_that_cannot_run_in_linear_time_is_refused_at_deployment() {
    assertThatThrownBy(() -> IntegrationResponses.compile(List.of(response("(?=4)\\d+", 400))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(?=4)");
    assertThatThrownBy(
            () -> IntegrationResponses.compile(List.of(response("((a{100}){100}){100}", 400))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too complex");
  }

  @Test
  void an_unknown_response_parameter_source_is_refused_at_deployment() {
    assertThatThrownBy(
            () ->
                IntegrationResponses.compile(
                    List.of(
                        new IntegrationResponse(
                            null,
                            200,
                            Map.of("method.response.header.x", "method.request.header.y"),
                            Map.of(),
                            null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("method.request.header.y");
  }
}
