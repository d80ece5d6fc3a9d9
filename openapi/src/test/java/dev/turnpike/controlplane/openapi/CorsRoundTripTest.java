package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.controlplane.problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code x-amazon-apigateway-cors} through an import, an export and an import again. */
class CorsRoundTripTest {
  // As an HTTP API export writes it.
  static final String DOCUMENT =
      """
      openapi: 3.0.1
      info: {title: Pets, version: "1"}
      paths:
        /pets:
          get:
            x-amazon-apigateway-integration:
              type: http_proxy
              httpMethod: GET
              uri: https://backend.example.com/pets
      x-amazon-apigateway-cors:
        allowOrigins:
        - https://app.example.com
        - http://localhost:3000
        allowMethods:
        - GET
        - POST
        allowHeaders:
        - content-type
        - x-api-key
        exposeHeaders:
        - x-total-count
        maxAge: 600
        allowCredentials: true
      """;

  static DocumentMapperTest.Mapped map(String yaml) {
    Findings findings = new Findings();
    ImportedApi api =
        DocumentMapper.map(
            DocumentCodec.read(yaml.getBytes(StandardCharsets.UTF_8), "application/yaml"),
            findings);
    return new DocumentMapperTest.Mapped(api, findings);
  }

  static JsonNode export(CorsConfiguration cors) {
    return DocumentWriter.write(
        new DocumentWriter.Export(
            "Pets",
            null,
            "1",
            "HEADER",
            List.of(),
            Map.of(),
            List.of(),
            "/{basePath}",
            "prod",
            List.of(),
            null,
            null,
            cors));
  }

  @Test
  void is_imported_exported_and_imported_again_unchanged() {
    DocumentMapperTest.Mapped first = map(DOCUMENT);
    assertThat(first.findings().errors()).isEmpty();
    assertThat(first.findings().warnings()).isEmpty();
    CorsConfiguration cors = first.api().cors();
    assertThat(cors)
        .isEqualTo(
            new CorsConfiguration(
                List.of("https://app.example.com", "http://localhost:3000"),
                List.of("GET", "POST"),
                List.of("content-type", "x-api-key"),
                List.of("x-total-count"),
                600,
                true));

    JsonNode exported = export(cors);
    JsonNode written = exported.get(CorsExtension.FIELD);
    assertThat(written.get("maxAge").asInt()).isEqualTo(600);
    assertThat(written.get("allowCredentials").asBoolean()).isTrue();
    assertThat(written.get("allowOrigins").get(1).asText()).isEqualTo("http://localhost:3000");

    Findings findings = new Findings();
    ImportedApi again = DocumentMapper.map(exported, findings);
    assertThat(findings.errors()).isEmpty();
    assertThat(again.cors()).isEqualTo(cors);
  }

  @Test
  void travels_with_the_resource_policy_and_the_minimum_compression_size() {
    SourceIpPolicy policy = new SourceIpPolicy(List.of("203.0.113.0/24"), List.of("203.0.113.9"));
    CorsConfiguration cors = map(DOCUMENT).api().cors();
    JsonNode exported =
        DocumentWriter.write(
            new DocumentWriter.Export(
                "Pets",
                null,
                "1",
                "HEADER",
                List.of(),
                Map.of(),
                List.of(),
                "/{basePath}",
                "prod",
                List.of(),
                policy,
                1024,
                cors));

    Findings findings = new Findings();
    ImportedApi again = DocumentMapper.map(exported, findings);
    assertThat(findings.errors()).isEmpty();
    assertThat(again.cors()).isEqualTo(cors);
    assertThat(again.sourceIpPolicy()).isEqualTo(policy);
    assertThat(again.minimumCompressionSize()).isEqualTo(1024);
  }

  @Test
  void a_document_without_it_sets_none_and_an_api_without_it_exports_none() {
    DocumentMapperTest.Mapped mapped =
        map(DOCUMENT.substring(0, DOCUMENT.indexOf("x-amazon-apigateway-cors")));
    assertThat(mapped.findings().errors()).isEmpty();
    assertThat(mapped.api().cors()).isNull();
    assertThat(export(null).has(CorsExtension.FIELD)).isFalse();
  }

  @Test
  void credentials_with_the_wildcard_and_bad_entries_are_errors_at_their_place() {
    String yaml =
        DOCUMENT
            .replace("- https://app.example.com\n", "- '*'\n")
            .replace("- http://localhost:3000", "- https://app.example.com/")
            .replace("- POST", "- BREW")
            .replace("maxAge: 600", "maxAge: 90000");
    DocumentMapperTest.Mapped mapped = map(yaml);
    assertThat(mapped.findings().errors())
        .extracting(FieldError::pointer)
        .containsExactlyInAnyOrder(
            "/x-amazon-apigateway-cors/allowOrigins/1",
            "/x-amazon-apigateway-cors/allowMethods/1",
            "/x-amazon-apigateway-cors/maxAge",
            "/x-amazon-apigateway-cors/allowCredentials");
  }

  @Test
  void unknown_fields_are_warned_about_not_silently_dropped() {
    DocumentMapperTest.Mapped mapped =
        map(DOCUMENT.replace("  maxAge: 600", "  maxAge: 600\n  allowPrivateNetwork: true"));
    assertThat(mapped.findings().errors()).isEmpty();
    assertThat(mapped.findings().warnings())
        .extracting(FieldError::pointer)
        .containsExactly("/x-amazon-apigateway-cors/allowPrivateNetwork");
  }
}
