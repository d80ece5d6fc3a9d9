package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Response caching: an integration's cacheKeyParameters are imported, checked and exported. */
class CacheKeyParametersImportTest {
  static final String DOCUMENT =
      """
      openapi: 3.0.1
      info: {title: Pets, version: '1'}
      paths:
        /pets/{id}:
          get:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
            x-amazon-apigateway-integration:
              type: http_proxy
              httpMethod: GET
              uri: https://backend.example.com/pets/{id}
              requestParameters:
                integration.request.path.id: method.request.path.id
              cacheNamespace: pets-by-id
              cacheKeyParameters:
                - method.request.path.id
                - method.request.querystring.lang
                - method.request.header.Accept-Language
      """;

  @Test
  void cache_key_parameters_are_kept_and_cache_namespace_passes_without_a_warning() {
    DocumentMapperTest.Mapped m = MappingRoundTripTest.mapYaml(DOCUMENT);

    assertThat(m.findings().errors()).isEmpty();
    assertThat(m.findings().warnings()).isEmpty();
    assertThat(m.route("GET", "/pets/{id}").integration().cacheKeyParameters())
        .containsExactly(
            "method.request.path.id",
            "method.request.querystring.lang",
            "method.request.header.Accept-Language");
  }

  @Test
  void a_parameter_that_names_no_method_request_value_is_refused_at_its_pointer() {
    DocumentMapperTest.Mapped m =
        MappingRoundTripTest.mapYaml(
            DOCUMENT.replace("method.request.querystring.lang", "integration.request.path.id"));

    assertThat(m.errorPointers())
        .containsExactly(
            "/paths/~1pets~1{id}/get/x-amazon-apigateway-integration/cacheKeyParameters/1");
  }

  @Test
  void an_export_writes_them_back_and_they_import_again() {
    List<String> keys = List.of("method.request.path.id", "method.request.querystring.lang");
    JsonNode exported =
        DocumentWriter.write(
            new DocumentWriter.Export(
                "Pets",
                null,
                "1",
                "HEADER",
                List.of(
                    new DocumentWriter.Operation(
                        "GET",
                        "/pets/{id}",
                        false,
                        new IntegrationConfig(
                            IntegrationType.HTTP_PROXY,
                            "GET",
                            "https://backend.example.com/pets/{id}",
                            1000,
                            29_000,
                            Map.of("integration.request.path.id", "method.request.path.id"),
                            null),
                        null,
                        null,
                        List.of(),
                        keys)),
                Map.of(),
                List.of(),
                "https://gateway.example.com/{basePath}",
                "prod",
                List.of(),
                null,
                null,
                null));

    JsonNode written =
        exported.at("/paths/~1pets~1{id}/get/x-amazon-apigateway-integration/cacheKeyParameters");
    assertThat(written.isArray()).isTrue();
    assertThat(written.get(1).asText()).isEqualTo("method.request.querystring.lang");
    Findings findings = new Findings();
    ImportedApi again = DocumentMapper.map(exported, findings);
    assertThat(findings.errors()).isEmpty();
    assertThat(again.routes().getFirst().integration().cacheKeyParameters()).isEqualTo(keys);
  }
}
