package dev.turnpike.controlplane.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How the developer's OpenAPI document says an authorizer, once its implementation is gone. */
class DeployedReferenceAuthorizersTest {
  static final String DOCUMENT =
      """
      {"openapi": "3.0.1", "paths": {},
       "components": {"securitySchemes": {
         "keycloak": {"type": "oauth2", "flows": {},
           "x-amazon-apigateway-authorizer": {"type": "jwt",
             "identitySource": "$request.header.Authorization",
             "jwtConfiguration": {"issuer": "https://id.example.com/realms/acme/",
                                  "audience": ["pets"]}}},
         "edge": {"type": "apiKey", "name": "Unused", "in": "header",
           "x-amazon-apigateway-authtype": "custom",
           "x-amazon-apigateway-authorizer": {"type": "request",
             "authorizerUri": "https://auth.internal.example.com/decide",
             "identitySource": "method.request.header.X-Tenant, context.identity.sourceIp"}}}}}
      """;

  @Test
  void a_jwt_scheme_becomes_openid_connect_and_a_custom_one_names_its_header_without_internals()
      throws Exception {
    JsonNode document = new ObjectMapper().readTree(DOCUMENT);

    DeployedReference.describeAuthorizers(document);
    DeployedReference.stripImplementation(document);

    JsonNode schemes = document.path("components").path("securitySchemes");
    assertThat(schemes.path("keycloak").path("type").asText()).isEqualTo("openIdConnect");
    assertThat(schemes.path("keycloak").path("openIdConnectUrl").asText())
        .isEqualTo("https://id.example.com/realms/acme/.well-known/openid-configuration");
    assertThat(schemes.path("edge").path("name").asText()).isEqualTo("X-Tenant");
    // The authorizer's endpoint is the owner's implementation, not the developer's business.
    assertThat(document.toString()).doesNotContain("auth.internal.example.com");
  }
}
