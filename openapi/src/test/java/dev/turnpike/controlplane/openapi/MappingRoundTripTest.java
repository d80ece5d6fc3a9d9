package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationResponse;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.controlplane.problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping templates and integration responses through an import, an export and an import. */
class MappingRoundTripTest {
  private static final String LAMBDA =
      "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
          + "arn:aws:lambda:eu-west-1:123456789012:function:orders:live/invocations";

  private static final String DOCUMENT =
      """
      openapi: 3.0.1
      info: {title: Orders, version: "1"}
      paths:
        /orders:
          post:
            x-amazon-apigateway-integration:
              type: http
              httpMethod: POST
              uri: https://backend.example.com/orders
              passthroughBehavior: when_no_templates
              contentHandling: CONVERT_TO_TEXT
              requestTemplates:
                application/json: '{"id": "$input.path(''$.id'')", "stage": "$context.stage"}'
                application/xml: '#set($body = $input.body)$body'
              responses:
                4\\d{2}:
                  statusCode: "400"
                  responseTemplates:
                    application/json: '{"error": $input.json(''$.message'')}'
                default:
                  statusCode: "201"
                  responseParameters:
                    method.response.header.Location: integration.response.header.x-location
                    method.response.header.x-kind: "'order'"
        /orders/{id}:
          get:
            x-amazon-apigateway-integration:
              type: aws
              httpMethod: POST
              uri: %s
              requestTemplates:
                application/json: '{"id": "$input.params(''id'')"}'
              responses:
                .*not found.*:
                  statusCode: "404"
                default:
                  statusCode: "200"
                  contentHandling: CONVERT_TO_BINARY
        /status:
          get:
            x-amazon-apigateway-integration:
              type: mock
              requestTemplates:
                application/json: |
                  #if($input.params('fail') == 'yes'){"statusCode": 503}#else{"statusCode": 200}#end
              passthroughBehavior: never
              responses:
                "5\\\\d{2}":
                  statusCode: "503"
                  responseTemplates:
                    application/json: '{"status": "down"}'
                default:
                  statusCode: "200"
                  responseTemplates:
                    application/json: '{"status": "up", "at": "$context.requestTime"}'
      x-amazon-apigateway-gateway-responses:
        THROTTLED:
          statusCode: "429"
          responseParameters:
            gatewayresponse.header.x-request: context.requestId
            gatewayresponse.header.Retry-After: "'1'"
          responseTemplates:
            application/json: '{"message": $context.error.messageString, "type": "$context.error.responseType"}'
      """
          .formatted(LAMBDA);

  static DocumentMapperTest.Mapped mapYaml(String yaml) {
    Findings findings = new Findings();
    ImportedApi api =
        DocumentMapper.map(
            DocumentCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "application/yaml"),
            findings);
    return new DocumentMapperTest.Mapped(api, findings);
  }

  @Test
  void templates_passthrough_content_handling_and_responses_are_kept_without_warnings() {
    DocumentMapperTest.Mapped m = mapYaml(DOCUMENT);

    assertThat(m.findings().errors()).isEmpty();
    assertThat(m.findings().warnings()).isEmpty();
    IntegrationSpec orders = m.route("POST", "/orders").integration();
    assertThat(orders.requestTemplates()).containsOnlyKeys("application/json", "application/xml");
    assertThat(orders.passthroughBehavior()).isEqualTo(PassthroughBehavior.WHEN_NO_TEMPLATES);
    assertThat(orders.contentHandling()).isEqualTo(ContentHandling.CONVERT_TO_TEXT);
    assertThat(orders.responses())
        .containsExactly(
            new IntegrationResponse(
                "4\\d{2}",
                400,
                Map.of(),
                Map.of("application/json", "{\"error\": $input.json('$.message')}"),
                null),
            new IntegrationResponse(
                null,
                201,
                Map.of(
                    "method.response.header.Location", "integration.response.header.x-location",
                    "method.response.header.x-kind", "'order'"),
                Map.of(),
                null));
    IntegrationSpec lambda = m.route("GET", "/orders/{id}").integration();
    assertThat(lambda.type()).isEqualTo("aws");
    assertThat(lambda.function()).isEqualTo("orders:live");
    assertThat(lambda.uri()).isEqualTo(LAMBDA);
    assertThat(lambda.responses())
        .extracting(IntegrationResponse::selectionPattern)
        .containsExactly(".*not found.*", null);
    IntegrationSpec status = m.route("GET", "/status").integration();
    assertThat(status.mock()).isNull();
    assertThat(status.passthroughBehavior()).isEqualTo(PassthroughBehavior.NEVER);
    assertThat(status.responses())
        .extracting(IntegrationResponse::statusCode)
        .containsExactly(503, 200);
    var throttled = m.api().gatewayResponses().get("THROTTLED");
    assertThat(throttled.headers()).containsExactly(Map.entry("Retry-After", "1"));
    assertThat(throttled.responseParameters())
        .containsExactly(Map.entry("gatewayresponse.header.x-request", "context.requestId"));
    assertThat(throttled.responseTemplates()).containsOnlyKeys("application/json");
  }

  @Test
  void an_export_imports_back_as_the_same_integrations_and_gateway_responses() {
    DocumentMapperTest.Mapped first = mapYaml(DOCUMENT);

    JsonNode exported = DocumentWriter.write(export(first.api()));
    Findings findings = new Findings();
    ImportedApi again = DocumentMapper.map(exported, findings);

    assertThat(findings.errors()).isEmpty();
    assertThat(findings.warnings()).isEmpty();
    assertThat(again.gatewayResponses()).isEqualTo(first.api().gatewayResponses());
    for (ImportedRoute route : first.api().routes()) {
      ImportedRoute back =
          again.routes().stream()
              .filter(
                  r ->
                      r.method().equals(route.method())
                          && r.resourcePath().equals(route.resourcePath()))
              .findFirst()
              .orElseThrow();
      assertThat(back.integration()).isEqualTo(route.integration());
    }
    JsonNode lambda = exported.at("/paths/~1orders~1{id}/get/x-amazon-apigateway-integration");
    assertThat(lambda.get("type").asText()).isEqualTo("aws");
    assertThat(lambda.get("uri").asText()).isEqualTo(LAMBDA);
  }

  @Test
  void a_template_that_does_not_parse_is_refused_at_its_pointer_with_its_line_and_column() {
    DocumentMapperTest.Mapped m =
        mapYaml(
            """
            openapi: 3.0.1
            info: {title: Orders, version: "1"}
            paths:
              /orders:
                post:
                  x-amazon-apigateway-integration:
                    type: http
                    httpMethod: POST
                    uri: https://backend.example.com/orders
                    passthroughBehavior: sometimes
                    requestTemplates:
                      application/json: |
                        {
                          "id": #if($input.path('$.id')) 1
                        }
                    responses:
                      "5(":
                        statusCode: "500"
                      default:
                        statusCode: "200"
                        responseParameters:
                          method.response.header.x: method.request.header.y
            """);

    String at = "/paths/~1orders/post/x-amazon-apigateway-integration";
    assertThat(m.errorPointers())
        .containsExactlyInAnyOrder(
            at + "/passthroughBehavior",
            at + "/requestTemplates/application~1json",
            at + "/responses/5(",
            at + "/responses/default/responseParameters/method.response.header.x");
    assertThat(m.findings().errors())
        .filteredOn(e -> e.pointer().endsWith("application~1json"))
        .extracting(FieldError::message)
        .singleElement()
        .satisfies(message -> assertThat(message).containsPattern("line \\d+, column \\d+"));
    assertThat(m.api().routes()).isEmpty();
  }

  @Test
  void a_mock_with_a_templated_request_and_no_responses_is_refused() {
    DocumentMapperTest.Mapped m =
        mapYaml(
            """
            openapi: 3.0.1
            info: {title: Orders, version: "1"}
            paths:
              /status:
                get:
                  x-amazon-apigateway-integration:
                    type: mock
                    requestTemplates:
                      application/json: '#if($input.params("x") == "1"){"statusCode": 500}#end'
            """);

    assertThat(m.errorPointers())
        .containsExactly("/paths/~1status/get/x-amazon-apigateway-integration/responses");
  }

  /** The export a deployment of the imported definition would make. */
  private static DocumentWriter.Export export(ImportedApi api) {
    List<DocumentWriter.Operation> operations =
        api.routes().stream()
            .map(
                r ->
                    new DocumentWriter.Operation(
                        r.method(),
                        r.resourcePath(),
                        r.apiKeyRequired(),
                        config(r.integration()),
                        r.validator(),
                        null,
                        List.of()))
            .toList();
    return new DocumentWriter.Export(
        "Orders",
        null,
        "1",
        "HEADER",
        operations,
        api.gatewayResponses(),
        List.of(),
        "https://gateway.example.com/{basePath}",
        "prod",
        List.of(),
        null,
        null,
        api.cors());
  }

  private static IntegrationConfig config(IntegrationSpec spec) {
    IntegrationType type = IntegrationType.valueOf(spec.type().toUpperCase(Locale.ROOT));
    return new IntegrationConfig(
        type,
        spec.httpMethod(),
        spec.uri(),
        spec.connectTimeoutMillis(),
        spec.timeoutMillis(),
        spec.requestParameters(),
        spec.mock(),
        spec.function() == null
            ? null
            : new FunctionTarget(
                spec.function(), null, spec.timeoutMillis(), spec.payloadFormatVersion()),
        spec.requestTemplates(),
        spec.passthroughBehavior(),
        spec.contentHandling(),
        spec.responses());
  }
}
