package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.AccessLogFormat.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {
  /** API Gateway's console example of a CLF format. */
  static final String CLF =
      "$context.identity.sourceIp $context.identity.caller $context.identity.user"
          + " [$context.requestTime] \"$context.httpMethod $context.resourcePath $context.protocol\""
          + " $context.status $context.responseLength $context.requestId";

  @Test
  void a_format_splits_into_text_and_variables() {
    AccessLogFormat format =
        AccessLogFormat.parse("{\"id\":\"$context.requestId\", \"s\": $context.status}");

    assertThat(format.json()).isTrue();
    assertThat(format.parts())
        .containsExactly(
            new Part("{\"id\":\"", null),
            new Part(null, "requestId"),
            new Part("\", \"s\": ", null),
            new Part(null, "status"),
            new Part("}", null));
  }

  @Test
  void a_dot_after_a_variable_is_text_and_claims_keep_their_colons() {
    AccessLogFormat format =
        AccessLogFormat.parse("done $context.status. by $context.authorizer.claims.cognito:groups");

    assertThat(format.json()).isFalse();
    assertThat(format.parts())
        .containsExactly(
            new Part("done ", null),
            new Part(null, "status"),
            new Part(". by ", null),
            new Part(null, "authorizer.claims.cognito:groups"));
  }

  @Test
  void every_variable_the_gateway_fills_is_accepted() {
    StringBuilder all = new StringBuilder();
    for (String name : ContextVariables.NAMES) {
      all.append("$context.").append(name).append(' ');
    }
    for (String name : AccessLogFormat.RESPONSE_VARIABLES) {
      all.append("$context.").append(name).append(' ');
    }

    assertThat(AccessLogFormat.problems(all.toString())).isEmpty();
  }

  @Test
  void a_variable_nobody_fills_a_missing_request_id_and_a_line_break_are_refused() {
    assertThat(AccessLogFormat.problems(CLF))
        .containsExactly(
            "the access-log format names $context.identity.caller, which the gateway does not fill",
            "the access-log format names $context.identity.user, which the gateway does not fill");
    assertThat(AccessLogFormat.problems("$context.status\n$context.requestId"))
        .containsExactly("the access-log format must be one line");
    assertThat(AccessLogFormat.problems("$context.status"))
        .containsExactly("the access-log format must include $context.requestId");
    assertThat(AccessLogFormat.problems("$context.requestId" + " ".repeat(3_000)))
        .containsExactly("the access-log format is longer than 3000 characters");
    assertThat(AccessLogFormat.problems(" ")).containsExactly("the access-log format is empty");
  }

  @Test
  void the_documented_variables_are_the_ones_filled() {
    assertThat(AccessLogFormat.RESPONSE_VARIABLES).doesNotHaveDuplicates();
    assertThat(List.copyOf(AccessLogFormat.RESPONSE_VARIABLES))
        .noneMatch(ContextVariables.NAMES::contains);
  }
}
