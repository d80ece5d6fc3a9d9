package dev.turnpike.controlplane.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.controlplane.api.IntegrationTlsConfig;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** An integration's {@code tlsConfig} through an import, an export and an import. */
class TlsConfigRoundTripTest {
  private static final String DOCUMENT =
      """
      openapi: 3.0.1
      info: {title: Orders, version: "1"}
      paths:
        /orders:
          get:
            x-amazon-apigateway-integration:
              type: http_proxy
              httpMethod: GET
              uri: https://10.0.0.5/orders
              tlsConfig:
                serverNameToVerify: orders.internal.example.com
        /legacy:
          get:
            x-amazon-apigateway-integration:
              type: http
              httpMethod: GET
              uri: https://legacy.example.com/
              tlsConfig:
                insecureSkipVerification: true
        /plain:
          get:
            x-amazon-apigateway-integration:
              type: http_proxy
              httpMethod: GET
              uri: https://plain.example.com/
      """;

  @Test
  void server_name_and_skipped_verification_import_export_and_import_back_the_same() {
    DocumentMapperTest.Mapped first = MappingRoundTripTest.mapYaml(DOCUMENT);

    assertThat(first.findings().errors()).isEmpty();
    assertThat(first.route("GET", "/orders").integration().tls())
        .isEqualTo(new IntegrationTlsConfig(null, false, "orders.internal.example.com"));
    assertThat(first.route("GET", "/legacy").integration().tls())
        .isEqualTo(new IntegrationTlsConfig(null, true, null));
    assertThat(first.route("GET", "/plain").integration().tls()).isNull();
    // Skipping verification is imported, and said to be what it is.
    assertThat(first.findings().warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.pointer()).endsWith("/tlsConfig/insecureSkipVerification"));

    JsonNode exported = DocumentWriter.write(export(first.api()));
    JsonNode orders = exported.at("/paths/~1orders/get/x-amazon-apigateway-integration/tlsConfig");
    assertThat(orders.get("serverNameToVerify").asText()).isEqualTo("orders.internal.example.com");
    assertThat(orders.has("insecureSkipVerification")).isFalse();
    assertThat(exported.at("/paths/~1plain/get/x-amazon-apigateway-integration").has("tlsConfig"))
        .isFalse();

    Findings findings = new Findings();
    ImportedApi again = DocumentMapper.map(exported, findings);
    assertThat(findings.errors()).isEmpty();
    for (ImportedRoute route : first.api().routes()) {
      ImportedRoute back =
          again.routes().stream()
              .filter(r -> r.resourcePath().equals(route.resourcePath()))
              .findFirst()
              .orElseThrow();
      assertThat(back.integration()).isEqualTo(route.integration());
    }
  }

  @Test
  void a_server_name_that_is_not_a_dns_name_is_refused_at_its_pointer() {
    DocumentMapperTest.Mapped m =
        MappingRoundTripTest.mapYaml(
            """
            openapi: 3.0.1
            info: {title: Orders, version: "1"}
            paths:
              /orders:
                get:
                  x-amazon-apigateway-integration:
                    type: http_proxy
                    httpMethod: GET
                    uri: https://10.0.0.5/orders
                    tlsConfig:
                      serverNameToVerify: "not a name"
            """);

    assertThat(m.errorPointers())
        .containsExactly(
            "/paths/~1orders/get/x-amazon-apigateway-integration/tlsConfig/serverNameToVerify");
  }

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
        api.gatewayResponses() == null ? java.util.Map.of() : api.gatewayResponses(),
        List.of(),
        "https://gateway.example.com/{basePath}",
        "prod",
        List.of(),
        null,
        null,
        null);
  }

  /** As the control plane's freezer makes it. */
  private static IntegrationConfig config(IntegrationSpec spec) {
    IntegrationType type = IntegrationType.valueOf(spec.type().toUpperCase(Locale.ROOT));
    IntegrationTlsConfig tls = spec.tls();
    return new IntegrationConfig(
            type,
            spec.httpMethod(),
            spec.uri(),
            spec.connectTimeoutMillis(),
            spec.timeoutMillis(),
            spec.requestParameters(),
            spec.mock(),
            null,
            spec.requestTemplates(),
            spec.passthroughBehavior(),
            spec.contentHandling(),
            spec.responses())
        .withTls(
            tls == null
                ? null
                : new BackendTls(
                    tls.trustedCaPem(),
                    tls.insecureSkipVerification(),
                    tls.serverNameToVerify(),
                    null));
  }
}
