package dev.turnpike.controlplane.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** What a refusal for an owner limit must say. */
final class LimitAnswers {
  private LimitAnswers() {}

  /**
   * A 400 limit-exceeded problem naming the limit, its setting, its value and what the request
   * would have made.
   */
  static JsonObject assertLimitExceeded(
      ApiClient.Answer answer, Limit limit, long max, long actual) {
    return assertRefused(answer, 400, "limit-exceeded", limit, max, actual);
  }

  static JsonObject assertRefused(
      ApiClient.Answer answer, int status, String type, Limit limit, long max, long actual) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    JsonObject problem = answer.json();
    assertThat(problem.getString("type")).isEqualTo("https://turnpike.dev/problems/" + type);
    JsonObject named = problem.getJsonObject("limit");
    assertThat(named).as(answer.toString()).isNotNull();
    assertThat(named.getString("name")).isEqualTo(limit.description());
    assertThat(named.getString("setting")).isEqualTo(limit.setting());
    assertThat(named.getLong("max")).isEqualTo(max);
    if (actual >= 0) {
      assertThat(named.getLong("actual")).isEqualTo(actual);
    }
    assertThat(problem.getString("detail"))
        .contains(limit.setting())
        .contains(String.format(Locale.ROOT, "%,d", max))
        .contains("nothing was changed");
    return problem;
  }
}
