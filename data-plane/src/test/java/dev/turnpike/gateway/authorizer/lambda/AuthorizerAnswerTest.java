package dev.turnpike.gateway.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.gateway.authorizer.lambda.AuthorizerAnswer.Verdict;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AuthorizerAnswerTest {
  static final String PREFIX = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/";
  static final String GET_PET = PREFIX + "GET/pets/7";

  static AuthorizerAnswer policy(String json) throws AuthorizerAnswer.Malformed {
    return AuthorizerAnswer.parse(Buffer.buffer(json), false);
  }

  static String statement(String effect, String action, String resource) {
    return "{\"Effect\":\""
        + effect
        + "\",\"Action\":"
        + action
        + ",\"Resource\":"
        + resource
        + "}";
  }

  static String answer(String... statements) {
    return "{\"principalId\":\"user-1\",\"policyDocument\":{\"Version\":\"2012-10-17\","
        + "\"Statement\":["
        + String.join(",", statements)
        + "]}}";
  }

  @Nested
  class Evaluation {
    @Test
    void a_matching_allow_lets_the_call_through() throws Exception {
      AuthorizerAnswer answer =
          policy(answer(statement("Allow", "\"execute-api:Invoke\"", "\"" + GET_PET + "\"")));
      assertThat(answer.decide(GET_PET)).isEqualTo(Verdict.ALLOW);
      assertThat(answer.principalId()).isEqualTo("user-1");
    }

    @Test
    void an_explicit_deny_wins_over_any_allow() throws Exception {
      AuthorizerAnswer answer =
          policy(
              answer(
                  statement("Allow", "\"*\"", "\"*\""),
                  statement("Deny", "\"execute-api:Invoke\"", "\"" + PREFIX + "GET/*\"")));
      assertThat(answer.decide(GET_PET)).isEqualTo(Verdict.EXPLICIT_DENY);
      assertThat(answer.decide(PREFIX + "POST/pets")).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void no_matching_statement_is_an_implicit_deny() throws Exception {
      AuthorizerAnswer answer =
          policy(answer(statement("Allow", "\"execute-api:Invoke\"", "\"" + PREFIX + "POST/*\"")));
      assertThat(answer.decide(GET_PET)).isEqualTo(Verdict.IMPLICIT_DENY);
      assertThat(policy(answer()).decide(GET_PET)).isEqualTo(Verdict.IMPLICIT_DENY);
    }

    @Test
    void a_deny_that_does_not_match_the_method_denies_nothing() throws Exception {
      AuthorizerAnswer answer =
          policy(
              answer(
                  statement("Deny", "\"execute-api:Invoke\"", "\"" + PREFIX + "DELETE/*\""),
                  statement("Allow", "\"execute-api:Invoke\"", "\"" + PREFIX + "*\"")));
      assertThat(answer.decide(GET_PET)).isEqualTo(Verdict.ALLOW);
      assertThat(answer.decide(PREFIX + "DELETE/pets/7")).isEqualTo(Verdict.EXPLICIT_DENY);
    }

    @Test
    void actions_match_invoke_by_name_service_wildcard_or_star_and_nothing_else() throws Exception {
      for (String action :
          new String[] {
            "\"execute-api:Invoke\"", "\"execute-api:*\"", "\"*\"", "[\"s3:Get\",\"*\"]"
          }) {
        assertThat(policy(answer(statement("Allow", action, "\"*\""))).decide(GET_PET))
            .as(action)
            .isEqualTo(Verdict.ALLOW);
      }
      for (String action : new String[] {"\"execute-api:ManageConnections\"", "\"s3:*\""}) {
        assertThat(policy(answer(statement("Allow", action, "\"*\""))).decide(GET_PET))
            .as(action)
            .isEqualTo(Verdict.IMPLICIT_DENY);
      }
    }

    @Test
    void resource_lists_and_a_single_statement_object_are_read_as_iam_reads_them()
        throws Exception {
      AuthorizerAnswer listed =
          policy(
              answer(
                  statement(
                      "Allow",
                      "[\"execute-api:Invoke\"]",
                      "[\"" + PREFIX + "POST/*\",\"" + PREFIX + "GET/pets/?\"]")));
      assertThat(listed.decide(GET_PET)).isEqualTo(Verdict.ALLOW);
      assertThat(listed.decide(PREFIX + "GET/pets/77")).isEqualTo(Verdict.IMPLICIT_DENY);
      AuthorizerAnswer single =
          policy(
              "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":"
                  + statement("Allow", "\"execute-api:Invoke\"", "\"" + GET_PET + "\"")
                  + "}}");
      assertThat(single.decide(GET_PET)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void a_policy_too_costly_to_match_fails_rather_than_guess() throws Exception {
      String costly = "*" + "a".repeat(1000) + "b";
      AuthorizerAnswer answer =
          policy(
              answer(
                  statement("Deny", "\"*\"", "\"" + costly + "\""),
                  statement("Allow", "\"*\"", "\"*\"")));
      assertThatThrownBy(() -> answer.decide(PREFIX + "GET/" + "a".repeat(4000)))
          .isInstanceOf(Wildcard.TooCostly.class);
    }
  }

  @Nested
  class Context_and_keys {
    @Test
    void context_keeps_strings_numbers_and_booleans_with_their_types() throws Exception {
      AuthorizerAnswer answer =
          policy(
              "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[]},"
                  + "\"context\":{\"s\":\"x\",\"n\":42,\"f\":1.5,\"b\":true,\"nothing\":null},"
                  + "\"usageIdentifierKey\":\"tpk_abc\"}");
      assertThat(answer.context())
          .containsEntry("s", "x")
          .containsEntry("n", 42)
          .containsEntry("f", 1.5)
          .containsEntry("b", true)
          .doesNotContainKey("nothing");
      assertThat(answer.usageIdentifierKey()).isEqualTo("tpk_abc");
    }

    @Test
    void objects_or_arrays_in_context_make_the_answer_malformed() {
      for (String value : new String[] {"{\"a\":1}", "[1,2]"}) {
        assertThatThrownBy(
                () ->
                    policy(
                        "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[]},"
                            + "\"context\":{\"v\":"
                            + value
                            + "}}"))
            .isInstanceOf(AuthorizerAnswer.Malformed.class)
            .hasMessageContaining("context value v");
      }
    }
  }

  @Nested
  class Malformed_answers {
    @Test
    void are_refused_with_a_reason() {
      String[][] cases = {
        {"not json", "not JSON"},
        {"[1]", "not a JSON object"},
        {"{\"policyDocument\":{\"Statement\":[]}}", "principalId"},
        {"{\"principalId\":{},\"policyDocument\":{\"Statement\":[]}}", "principalId"},
        {"{\"principalId\":\"u\"}", "policyDocument"},
        {"{\"principalId\":\"u\",\"policyDocument\":{}}", "Statement"},
        {"{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":\"x\"}}", "Statement"},
        {answer(statement("Maybe", "\"*\"", "\"*\"")), "Effect"},
        {answer("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"), "Action"},
        {answer("{\"Effect\":\"Allow\",\"Action\":\"*\"}"), "Resource"},
        {answer(statement("Allow", "\"*\"", "[1]")), "Resource"},
        {
          answer(
              "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                  + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}"),
          "Condition"
        },
        {answer("{\"Effect\":\"Deny\",\"Action\":\"*\",\"NotResource\":\"x\"}"), "NotResource"},
        {
          "{\"principalId\":\"u\",\"policyDocument\":{\"Statement\":[]},\"usageIdentifierKey\":1}",
          "usageIdentifierKey"
        },
      };
      for (String[] malformed : cases) {
        assertThatThrownBy(() -> policy(malformed[0]))
            .as(malformed[0])
            .isInstanceOf(AuthorizerAnswer.Malformed.class)
            .hasMessageContaining(malformed[1]);
      }
    }
  }

  @Nested
  class Simple_responses {
    @Test
    void is_authorized_decides_alone() throws Exception {
      AuthorizerAnswer yes =
          AuthorizerAnswer.parse(
              Buffer.buffer("{\"isAuthorized\":true,\"context\":{\"tier\":\"gold\"}}"), true);
      assertThat(yes.decide(GET_PET)).isEqualTo(Verdict.ALLOW);
      assertThat(yes.context()).containsEntry("tier", "gold");
      AuthorizerAnswer no = AuthorizerAnswer.parse(Buffer.buffer("{\"isAuthorized\":false}"), true);
      assertThat(no.decide(GET_PET)).isEqualTo(Verdict.IMPLICIT_DENY);
    }

    @Test
    void without_a_boolean_is_authorized_is_malformed() {
      for (String json : new String[] {"{}", "{\"isAuthorized\":\"true\"}"}) {
        assertThatThrownBy(() -> AuthorizerAnswer.parse(Buffer.buffer(json), true))
            .isInstanceOf(AuthorizerAnswer.Malformed.class);
      }
    }
  }
}
