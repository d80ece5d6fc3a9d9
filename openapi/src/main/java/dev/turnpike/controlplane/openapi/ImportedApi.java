package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.GatewayResponseConfig;
import java.util.List;
import java.util.Map;

/**
 * The API definition a document describes. A null API-level setting means the document does not set
 * it.
 */
record ImportedApi(
    String apiKeySource,
    List<String> binaryMediaTypes,
    Map<String, GatewayResponseConfig> gatewayResponses,
    List<ImportedRoute> routes) {
  ImportedApi {
    routes = List.copyOf(routes);
  }
}
