package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An API definition. Changes to it reach the gateway only through a deployment, as in API Gateway.
 *
 * @param slug the API's name in gateway addresses; fixed once created, because deployed stages are
 *     addressed by it
 * @param corsConfiguration the API's CORS configuration (HTTP API {@code corsConfiguration}), null
 *     when the gateway adds no CORS headers and answers no preflight for it
 */
public record Api(
    UUID id,
    String slug,
    String name,
    String description,
    String apiKeySource,
    List<String> binaryMediaTypes,
    Map<String, GatewayResponseConfig> gatewayResponses,
    CorsConfiguration corsConfiguration,
    Instant createdAt,
    Instant updatedAt) {
  public Api {
    binaryMediaTypes = List.copyOf(binaryMediaTypes);
    gatewayResponses = Map.copyOf(gatewayResponses);
  }
}
