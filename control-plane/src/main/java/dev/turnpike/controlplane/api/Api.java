package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An API definition. Changes to it reach the gateway only through a deployment, as in API Gateway.
 *
 * @param slug the API's name in gateway addresses; fixed once created, because deployed stages are
 *     addressed by it
 * @param sourceIpPolicy the API's allow and deny lists on the caller's address, null for none
 * @param minimumCompressionSize responses of at least this many bytes are compressed, null for none
 * @param decompressRequests whether gzip request bodies are inflated before the integration
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
    SourceIpPolicy sourceIpPolicy,
    Integer minimumCompressionSize,
    boolean decompressRequests,
    CorsConfiguration corsConfiguration,
    Instant createdAt,
    Instant updatedAt) {
  public Api {
    binaryMediaTypes = List.copyOf(binaryMediaTypes);
    gatewayResponses = Map.copyOf(gatewayResponses);
    sourceIpPolicy = sourceIpPolicy == null || sourceIpPolicy.isEmpty() ? null : sourceIpPolicy;
  }

  /** The compression settings a deployment freezes; null when the API has none. */
  public CompressionConfig compression() {
    return CompressionConfig.of(minimumCompressionSize, decompressRequests);
  }
}
