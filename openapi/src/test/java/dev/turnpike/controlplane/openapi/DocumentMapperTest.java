package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The document-to-definition rules, without a database. */
class DocumentMapperTest {
  static final String MOCK = "{\"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}";

  record Mapped(ImportedApi api, Findings findings) {
    List<String> errorPointers() {
      return findings.errors().stream().map(FieldError::pointer).toList();
    }

    List<String> warningPointers() {
      return findings.warnings().stream().map(FieldError::pointer).toList();
    }

    ImportedRoute route(String method, String path) {
      return api.routes().stream()
          .filter(r -> r.method().equals(method) && r.resourcePath().equals(path))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no route " + method + " " + path));
    }
  }

  static Mapped map(String json) {
    Findings findings = new Findings();
    ImportedApi api =
        DocumentMapper.map(
            DocumentCodec.read(json.getBytes(StandardCharsets.UTF_8), "application/json"),
            findings);
    return new Mapped(api, findings);
  }

  static String document(String paths, String extra) {
    return "{\"openapi\": \"3.0.1\", \"paths\": {" + paths + "}" + extra + "}";
  }

  @Nested
  class Security {
    static final String KEY_SCHEME =
        ", \"components\": {\"securitySchemes\": {\"k\": {\"type\": \"apiKey\", \"in\": \"header\","
            + " \"name\": \"x-api-key\"}}}";

    @Test
    void a_global_requirement_applies_unless_an_operation_overrides_it() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": "
                      + MOCK
                      + ", \"post\": {\"security\": [],"
                      + " \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
                  ", \"security\": [{\"k\": []}]" + KEY_SCHEME));
      assertThat(m.findings().errors()).isEmpty();
      assertThat(m.route("GET", "/a").apiKeyRequired()).isTrue();
      assertThat(m.route("POST", "/a").apiKeyRequired()).isFalse();
    }

    @Test
    void a_key_in_the_query_string_is_not_api_gateways_key_and_is_refused() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"security\": [{\"q\": []}],"
                      + " \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
                  ", \"components\": {\"securitySchemes\": {\"q\": {\"type\": \"apiKey\","
                      + " \"in\": \"query\", \"name\": \"key\"}}}"));
      assertThat(m.errorPointers()).containsExactly("/paths/~1a/get/security/0/q");
    }

    @Test
    void an_iam_authorization_and_a_resource_policy_are_refused() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"x-amazon-apigateway-auth\": {\"type\": \"AWS_IAM\"},"
                      + " \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
                  ", \"x-amazon-apigateway-policy\": {\"Version\": \"2012-10-17\"}"));
      assertThat(m.errorPointers())
          .containsExactlyInAnyOrder(
              "/x-amazon-apigateway-policy/Statement",
              "/paths/~1a/get/x-amazon-apigateway-auth/type");
    }
  }

  @Nested
  class Operations {
    @Test
    void methods_are_the_lower_case_openapi_keys_and_trace_is_not_routed() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"GET\": "
                      + MOCK
                      + ", \"trace\": "
                      + MOCK
                      + ", \"head\": "
                      + MOCK
                      + ", \"summary\": \"s\", \"x-note\": 1}",
                  ""));
      assertThat(m.errorPointers()).containsExactly("/paths/~1a/GET", "/paths/~1a/trace");
      assertThat(m.api().routes()).extracting(ImportedRoute::method).containsExactly("HEAD");
    }

    @Test
    void integration_types_are_case_insensitive_and_methods_upper_cased() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"put\": {\"x-amazon-apigateway-integration\": {\"type\": \"HTTP\","
                      + " \"httpMethod\": \"put\", \"uri\": \"https://b.example.com/a\"}}}",
                  ""));
      assertThat(m.findings().errors()).isEmpty();
      IntegrationSpec spec = m.route("PUT", "/a").integration();
      assertThat(spec.type()).isEqualTo("http");
      assertThat(spec.httpMethod()).isEqualTo("PUT");
      assertThat(spec.timeoutMillis()).isEqualTo(29_000);
    }

    @Test
    void both_integration_extensions_at_once_are_ambiguous() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"x-amazon-apigateway-integration\": {\"type\": \"mock\"},"
                      + " \"x-turnpike-integration\": {\"type\": \"mock\", \"mock\":"
                      + " {\"statusCode\": 200}}}}",
                  ""));
      assertThat(m.errorPointers()).containsExactly("/paths/~1a/get/x-turnpike-integration");
    }

    @Test
    void a_vpc_link_and_a_bad_parameter_mapping_are_refused() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"x-amazon-apigateway-integration\": {\"type\": \"http\","
                      + " \"httpMethod\": \"GET\", \"uri\": \"http://nlb.internal/a\","
                      + " \"connectionType\": \"VPC_LINK\", \"connectionId\": \"abc\","
                      + " \"requestParameters\": {\"integration.request.header.x\":"
                      + " \"method.request.body.id\"}}}}",
                  ""));
      assertThat(m.errorPointers())
          .containsExactly(
              "/paths/~1a/get/x-amazon-apigateway-integration/requestParameters/integration.request.header.x",
              "/paths/~1a/get/x-amazon-apigateway-integration/connectionType");
    }

    @Test
    void a_context_variable_the_gateway_does_not_fill_is_refused_in_either_extension() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"x-amazon-apigateway-integration\": {\"type\": \"http\","
                      + " \"httpMethod\": \"GET\", \"uri\": \"https://backend.example.com/a\","
                      + " \"requestParameters\": {\"integration.request.header.x\":"
                      + " \"context.stageName\", \"integration.request.header.y\":"
                      + " \"context.stage\"}}}},"
                      + " \"/b\": {\"get\": {\"x-turnpike-integration\": {\"type\": \"http\","
                      + " \"httpMethod\": \"GET\", \"uri\": \"https://backend.example.com/b\","
                      + " \"requestParameters\": {\"integration.request.header.x\":"
                      + " \"context.identity.caller\"}}}}",
                  ""));
      assertThat(m.errorPointers())
          .containsExactlyInAnyOrder(
              "/paths/~1a/get/x-amazon-apigateway-integration/requestParameters/integration.request.header.x",
              "/paths/~1b/get/x-turnpike-integration/requestParameters/integration.request.header.x");
      assertThat(m.findings().errors())
          .extracting(FieldError::message)
          .allSatisfy(message -> assertThat(message).contains("does not fill", "requestId"))
          .anySatisfy(message -> assertThat(message).contains("$context.stageName"))
          .anySatisfy(message -> assertThat(message).contains("$context.identity.caller"));
    }

    @Test
    void unknown_turnpike_integration_fields_are_errors() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"x-turnpike-integration\": {\"type\": \"mock\","
                      + " \"mock\": {\"status\": 200}, \"retries\": 3}}}",
                  ""));
      assertThat(m.errorPointers())
          .containsExactly(
              "/paths/~1a/get/x-turnpike-integration/retries",
              "/paths/~1a/get/x-turnpike-integration/mock/status",
              "/paths/~1a/get/x-turnpike-integration/mock/statusCode");
    }
  }

  @Nested
  class Validators {
    @Test
    void parameters_come_from_the_path_item_the_operation_and_local_references() {
      Mapped m =
          map(
              document(
                  "\"/a/{id}\": {\"parameters\": [{\"name\": \"x-tenant\", \"in\": \"header\","
                      + " \"required\": true}], \"get\": {\"parameters\": [{\"$ref\":"
                      + " \"#/components/parameters/Q\"}, {\"name\": \"opt\", \"in\": \"query\"}],"
                      + " \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
                  ", \"components\": {\"parameters\": {\"Q\": {\"name\": \"q\", \"in\": \"query\","
                      + " \"required\": true}}}, \"x-amazon-apigateway-request-validators\":"
                      + " {\"p\": {\"validateRequestParameters\": true}},"
                      + " \"x-amazon-apigateway-request-validator\": \"p\""));
      assertThat(m.findings().errors()).isEmpty();
      assertThat(m.route("GET", "/a/{id}").validator())
          .isEqualTo(
              new RequestValidator(
                  "p",
                  true,
                  false,
                  List.of(
                      "method.request.path.id",
                      "method.request.header.x-tenant",
                      "method.request.querystring.q"),
                  null));
    }

    @Test
    void the_body_model_is_inlined_with_nullable_types_and_recursion_cut_where_it_repeats() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"post\": {\"requestBody\": {\"content\": {\"application/json\":"
                      + " {\"schema\": {\"$ref\": \"#/components/schemas/Node\"}}}},"
                      + " \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
                  ", \"components\": {\"schemas\": {\"Node\": {\"type\": \"object\","
                      + " \"properties\": {\"label\": {\"type\": \"string\", \"nullable\": true,"
                      + " \"enum\": [\"a\", null]}, \"child\": {\"$ref\": \"#/components/schemas/Node\"}}}}},"
                      + " \"x-amazon-apigateway-request-validators\": {\"b\": {\"validateRequestBody\":"
                      + " true}}, \"x-amazon-apigateway-request-validator\": \"b\""));
      assertThat(m.findings().errors()).isEmpty();
      JsonNode schema = m.route("POST", "/a").validator().bodySchema();
      assertThat(schema.at("/properties/label/type").toString()).isEqualTo("[\"string\",\"null\"]");
      assertThat(schema.at("/properties/label/enum").toString()).isEqualTo("[\"a\",null]");
      assertThat(schema.at("/type").asText()).isEqualTo("object");
      assertThat(schema.at("/properties/child").toString()).isEqualTo("{}");
    }

    @Test
    void an_unknown_validator_name_and_a_broken_reference_are_errors() {
      Mapped m =
          map(
              document(
                  "\"/a\": {\"get\": {\"x-amazon-apigateway-request-validator\": \"nope\","
                      + " \"parameters\": [{\"$ref\": \"#/components/parameters/Missing\"}],"
                      + " \"x-amazon-apigateway-integration\": {\"type\": \"mock\"}}}",
                  ""));
      assertThat(m.errorPointers())
          .containsExactly(
              "/paths/~1a/get/parameters/0/$ref",
              "/paths/~1a/get/x-amazon-apigateway-request-validator");
    }
  }

  @Nested
  class ApiSettings {
    @Test
    void binary_types_accept_api_gateways_escaped_slash_and_bad_ones_are_errors() {
      Mapped m =
          map(
              document(
                  "",
                  ", \"x-amazon-apigateway-binary-media-types\": [\"image~1png\", \"*/*\","
                      + " \"png\"]"));
      assertThat(m.api().binaryMediaTypes()).containsExactly("image/png", "*/*");
      assertThat(m.errorPointers()).containsExactly("/x-amazon-apigateway-binary-media-types/2");
    }

    @Test
    void gateway_responses_keep_literal_headers_parameter_mappings_and_templates() {
      Mapped m =
          map(
              document(
                  "",
                  ", \"x-amazon-apigateway-gateway-responses\": {\"QUOTA_EXCEEDED\": {"
                      + "\"statusCode\": \"429\", \"responseParameters\": {"
                      + "\"gatewayresponse.header.X-Static\": \"'a'\","
                      + " \"gatewayresponse.header.X-Origin\": \"method.request.header.origin\"},"
                      + " \"responseTemplates\": {\"application/json\":"
                      + " \"{\\\"message\\\": $context.error.messageString}\"}},"
                      + " \"THROTTLED\": {\"responseParameters\": {"
                      + "\"gatewayresponse.header.X-Stage\": \"context.stageName\"},"
                      + " \"responseTemplates\": {\"application/json\": \"#if(\"}},"
                      + " \"TEAPOT\": {}}"));
      assertThat(m.errorPointers())
          .containsExactlyInAnyOrder(
              "/x-amazon-apigateway-gateway-responses/TEAPOT",
              "/x-amazon-apigateway-gateway-responses/THROTTLED/responseParameters/gatewayresponse.header.X-Stage",
              "/x-amazon-apigateway-gateway-responses/THROTTLED/responseTemplates/application~1json");
      assertThat(m.warningPointers()).isEmpty();
      var quota = m.api().gatewayResponses().get("QUOTA_EXCEEDED");
      assertThat(quota.statusCode()).isEqualTo(429);
      assertThat(quota.headers()).containsExactly(java.util.Map.entry("X-Static", "a"));
      assertThat(quota.responseParameters())
          .containsExactly(
              java.util.Map.entry(
                  "gatewayresponse.header.X-Origin", "method.request.header.origin"));
      assertThat(quota.responseTemplates())
          .containsExactly(
              java.util.Map.entry(
                  "application/json", "{\"message\": $context.error.messageString}"));
      assertThat(quota.body()).isNull();
    }

    @Test
    void an_openapi_2_or_4_version_is_refused() {
      assertThat(map("{\"openapi\": \"2.0\", \"paths\": {}}").errorPointers())
          .containsExactly("/openapi");
      assertThat(map("{\"openapi\": \"3.2.0\", \"paths\": {}}").errorPointers())
          .containsExactly("/openapi");
      assertThat(map("{\"openapi\": \"3.1.1\", \"paths\": {}}").errorPointers()).isEmpty();
    }
  }

  @Nested
  class Reading {
    @Test
    void duplicate_keys_and_non_objects_are_malformed() {
      assertThatThrownBy(
              () ->
                  DocumentCodec.read(
                      "openapi: 3.0.1\nopenapi: 3.1.0\n".getBytes(StandardCharsets.UTF_8),
                      "application/yaml"))
          .isInstanceOfSatisfying(
              ApiFailure.class,
              f -> {
                assertThat(f.errors()).extracting(FieldError::pointer).containsExactly("");
                assertThat(f.errors().getFirst().message()).startsWith("line 2, column");
              });
      assertThatThrownBy(
              () -> DocumentCodec.read("[1]".getBytes(StandardCharsets.UTF_8), "application/json"))
          .isInstanceOfSatisfying(
              ApiFailure.class, f -> assertThat(f.kind()).isEqualTo(ProblemKind.MALFORMED_JSON));
    }

    @Test
    void a_yaml_alias_is_refused_rather_than_read_as_its_name() {
      assertThatThrownBy(
              () ->
                  DocumentCodec.read(
                      "openapi: 3.0.1\nx-a: &shared {type: mock}\nx-b: *shared\n"
                          .getBytes(StandardCharsets.UTF_8),
                      "text/yaml"))
          .isInstanceOfSatisfying(
              ApiFailure.class,
              f ->
                  assertThat(f.errors().getFirst().message())
                      .isEqualTo(
                          "line 3, column 6: aliases (*shared) are not supported; write the value"
                              + " out"));
    }

    @Test
    void media_types_choose_the_parser() {
      assertThat(DocumentCodec.formatOf("application/json; charset=utf-8"))
          .isEqualTo(DocumentCodec.Format.JSON);
      assertThat(DocumentCodec.formatOf("application/vnd.oai.openapi"))
          .isEqualTo(DocumentCodec.Format.YAML);
      assertThat(DocumentCodec.formatOf("TEXT/YAML")).isEqualTo(DocumentCodec.Format.YAML);
      assertThat(DocumentCodec.formatOf("text/plain")).isNull();
    }
  }
}
