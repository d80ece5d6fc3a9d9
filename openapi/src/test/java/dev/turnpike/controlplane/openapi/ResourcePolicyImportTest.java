package dev.turnpike.controlplane.openapi;

import static dev.turnpike.controlplane.openapi.DocumentMapperTest.MOCK;
import static dev.turnpike.controlplane.openapi.DocumentMapperTest.document;
import static dev.turnpike.controlplane.openapi.DocumentMapperTest.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.openapi.DocumentMapperTest.Mapped;
import dev.turnpike.controlplane.problem.FieldError;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code x-amazon-apigateway-policy} documents on {@code aws:SourceIp} read as allow and deny lists
 * that admit exactly whom API Gateway would admit; every other policy refused by name.
 */
class ResourcePolicyImportTest {
  static final String EVERYONE =
      "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
          + " \"Resource\": \"execute-api:/*\"}";

  static String statement(String effect, String operator, String... cidrs) {
    return "{\"Effect\": \""
        + effect
        + "\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
        + " \"Resource\": \"arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/*\","
        + " \"Condition\": {\""
        + operator
        + "\": {\"aws:SourceIp\": [\""
        + String.join("\", \"", cidrs)
        + "\"]}}}";
  }

  static Mapped withPolicy(String... statements) {
    return map(
        document(
            "\"/a\": {\"get\": " + MOCK + "}",
            ", \"x-amazon-apigateway-policy\": {\"Version\": \"2012-10-17\", \"Statement\": ["
                + String.join(", ", statements)
                + "]}"));
  }

  static SourceIpPolicy policyOf(Mapped mapped) {
    assertThat(mapped.findings().errors()).isEmpty();
    return mapped.api().sourceIpPolicy();
  }

  static List<String> errors(Mapped mapped) {
    return mapped.findings().errors().stream().map(e -> e.pointer() + " " + e.message()).toList();
  }

  @Nested
  class SupportedShapes {
    @Test
    void deny_outside_a_block_admits_only_that_block() {
      SourceIpPolicy policy =
          policyOf(withPolicy(EVERYONE, statement("Deny", "NotIpAddress", "203.0.113.0/24")));

      assertThat(policy).isEqualTo(new SourceIpPolicy(List.of("203.0.113.0/24"), List.of()));
    }

    @Test
    void allow_on_blocks_admits_those_blocks() {
      SourceIpPolicy policy =
          policyOf(withPolicy(statement("Allow", "IpAddress", "10.0.0.0/8", "2001:db8::/32")));

      assertThat(policy)
          .isEqualTo(new SourceIpPolicy(List.of("10.0.0.0/8", "2001:db8::/32"), List.of()));
    }

    @Test
    void deny_on_blocks_refuses_those_blocks() {
      SourceIpPolicy policy =
          policyOf(withPolicy(EVERYONE, statement("Deny", "IpAddress", "198.51.100.7")));

      assertThat(policy).isEqualTo(new SourceIpPolicy(List.of(), List.of("198.51.100.7")));
    }

    @Test
    void a_lone_allow_outside_a_block_refuses_that_block() {
      SourceIpPolicy policy =
          policyOf(withPolicy(statement("Allow", "NotIpAddress", "198.51.100.0/24")));

      assertThat(policy).isEqualTo(new SourceIpPolicy(List.of(), List.of("198.51.100.0/24")));
    }

    @Test
    void an_allow_narrowed_by_a_deny_outside_keeps_only_what_both_admit() {
      SourceIpPolicy policy =
          policyOf(
              withPolicy(
                  statement("Allow", "IpAddress", "10.0.0.0/8"),
                  statement("Deny", "NotIpAddress", "10.1.0.0/16", "192.168.0.0/16"),
                  statement("Deny", "IpAddress", "10.1.2.0/24")));

      assertThat(policy)
          .isEqualTo(new SourceIpPolicy(List.of("10.1.0.0/16"), List.of("10.1.2.0/24")));
    }

    @Test
    void an_unconditional_deny_or_no_allow_at_all_admits_nobody() {
      SourceIpPolicy everyoneDenied = new SourceIpPolicy(List.of(), List.of("0.0.0.0/0", "::/0"));

      assertThat(
              policyOf(
                  withPolicy(
                      EVERYONE,
                      "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                          + " \"execute-api:Invoke\", \"Resource\": \"execute-api:/*\"}")))
          .isEqualTo(everyoneDenied);
      assertThat(policyOf(withPolicy(statement("Deny", "IpAddress", "10.0.0.0/8"))))
          .isEqualTo(everyoneDenied);
    }

    @Test
    void a_single_statement_object_and_an_aws_principal_of_anyone_are_read() {
      Mapped mapped =
          map(
              document(
                  "\"/a\": {\"get\": " + MOCK + "}",
                  ", \"x-amazon-apigateway-policy\": {\"Statement\": {\"Effect\": \"Allow\","
                      + " \"Principal\": {\"AWS\": \"*\"}, \"Action\": [\"execute-api:Invoke\"],"
                      + " \"Resource\": [\"execute-api:/*\"], \"Condition\": {\"IpAddress\":"
                      + " {\"aws:SourceIp\": \"192.0.2.1\"}}}}"));

      assertThat(policyOf(mapped)).isEqualTo(new SourceIpPolicy(List.of("192.0.2.1"), List.of()));
    }

    @Test
    void a_document_without_a_policy_has_none() {
      assertThat(policyOf(map(document("\"/a\": {\"get\": " + MOCK + "}", "")))).isNull();
    }
  }

  @Nested
  class RefusedShapes {
    @Test
    void another_action_is_refused_by_name() {
      Mapped mapped =
          withPolicy(
              "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                  + " \"execute-api:ManageConnections\", \"Resource\": \"execute-api:/*\"}");

      assertThat(errors(mapped))
          .singleElement()
          .asString()
          .contains("/Statement/0/Action", "execute-api:ManageConnections", "not supported");
      assertThat(mapped.api().sourceIpPolicy()).isNull();
    }

    @Test
    void a_named_principal_is_refused() {
      Mapped mapped =
          withPolicy(
              "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
                  + " \"arn:aws:iam::123456789012:root\"}, \"Action\": \"execute-api:Invoke\","
                  + " \"Resource\": \"execute-api:/*\"}");

      assertThat(errors(mapped)).singleElement().asString().contains("/Statement/0/Principal");
    }

    @Test
    void a_resource_naming_part_of_the_api_is_refused() {
      Mapped mapped =
          withPolicy(
              "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
                  + " \"Resource\": \"execute-api:/*/GET/pets\"}");

      assertThat(errors(mapped))
          .singleElement()
          .asString()
          .contains("/Statement/0/Resource", "execute-api:/*/GET/pets");
    }

    @Test
    void another_condition_operator_or_key_is_refused_by_name() {
      Mapped operator =
          withPolicy(
              EVERYONE,
              "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
                  + " \"Resource\": \"execute-api:/*\", \"Condition\": {\"StringNotEquals\":"
                  + " {\"aws:SourceVpce\": \"vpce-1\"}}}");
      Mapped key =
          withPolicy(
              EVERYONE,
              "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
                  + " \"Resource\": \"execute-api:/*\", \"Condition\": {\"IpAddress\":"
                  + " {\"aws:SourceVpc\": \"vpc-1\"}}}");

      assertThat(errors(operator)).singleElement().asString().contains("StringNotEquals");
      assertThat(errors(key)).singleElement().asString().contains("aws:SourceVpc");
    }

    @Test
    void not_elements_and_bad_blocks_are_refused() {
      Mapped notPrincipal =
          withPolicy(
              "{\"Effect\": \"Allow\", \"NotPrincipal\": \"*\", \"Principal\": \"*\", \"Action\":"
                  + " \"execute-api:Invoke\", \"Resource\": \"execute-api:/*\"}");
      Mapped badBlock = withPolicy(statement("Allow", "IpAddress", "10.0.0.1/33"));

      assertThat(errors(notPrincipal)).singleElement().asString().contains("NotPrincipal");
      assertThat(errors(badBlock))
          .singleElement()
          .asString()
          .contains("/Condition/IpAddress/aws:SourceIp/0", "10.0.0.1/33");
    }

    @Test
    void an_allow_outside_a_block_beside_other_allows_is_refused() {
      Mapped mapped =
          withPolicy(
              statement("Allow", "NotIpAddress", "10.0.0.0/8"),
              statement("Allow", "IpAddress", "10.1.0.0/16"));

      assertThat(errors(mapped)).singleElement().asString().contains("NotIpAddress");
    }
  }

  @Nested
  class Export {
    @Test
    void an_exported_policy_imports_back_as_the_same_lists() {
      SourceIpPolicy policy =
          new SourceIpPolicy(List.of("203.0.113.0/24", "2001:db8::/32"), List.of("203.0.113.9"));
      String written = ResourcePolicyReader.write(policy).toString();

      Mapped mapped =
          map(
              document(
                  "\"/a\": {\"get\": " + MOCK + "}",
                  ", \"x-amazon-apigateway-policy\": " + written));

      assertThat(policyOf(mapped)).isEqualTo(policy);
    }

    @Test
    void no_policy_writes_nothing() {
      assertThat(ResourcePolicyReader.write(null)).isNull();
      assertThat(ResourcePolicyReader.write(new SourceIpPolicy(List.of(), List.of()))).isNull();
    }
  }

  @Nested
  class MinimumCompressionSize {
    @Test
    void is_read_within_api_gateways_range() {
      Mapped mapped =
          map(
              document(
                  "\"/a\": {\"get\": " + MOCK + "}",
                  ", \"x-amazon-apigateway-minimum-compression-size\": 1024"));

      assertThat(mapped.findings().errors()).isEmpty();
      assertThat(mapped.api().minimumCompressionSize()).isEqualTo(1024);
    }

    @Test
    void outside_the_range_is_refused() {
      Mapped mapped =
          map(
              document(
                  "\"/a\": {\"get\": " + MOCK + "}",
                  ", \"x-amazon-apigateway-minimum-compression-size\": 10485761"));

      assertThat(mapped.findings().errors())
          .extracting(FieldError::pointer)
          .containsExactly("/x-amazon-apigateway-minimum-compression-size");
    }
  }
}
