package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import java.util.List;
import java.util.Map;

/**
 * The API definition a document describes. A null API-level setting means the document does not set
 * it.
 *
 * @param authorizers the authorizers of its security schemes, by scheme name
 * @param sourceIpPolicy the allow and deny lists of {@code x-amazon-apigateway-policy}
 * @param minimumCompressionSize {@code x-amazon-apigateway-minimum-compression-size}
 * @param cors {@code x-amazon-apigateway-cors}, null when the document has none
 */
record ImportedApi(
    String apiKeySource,
    List<String> binaryMediaTypes,
    Map<String, GatewayResponseConfig> gatewayResponses,
    List<ImportedRoute> routes,
    List<ImportedAuthorizer> authorizers,
    SourceIpPolicy sourceIpPolicy,
    Integer minimumCompressionSize,
    CorsConfiguration cors) {
  ImportedApi {
    routes = List.copyOf(routes);
    authorizers = authorizers == null ? List.of() : List.copyOf(authorizers);
  }
}
