package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.RouteConfig;
import java.util.List;
import java.util.Map;

/**
 * The part of a deployment snapshot that comes from the API definition: what a deployment freezes.
 * Stage settings are not part of it; they are applied when the snapshot is published.
 */
public record FrozenApi(
    String apiId,
    String apiSlug,
    List<RouteConfig> routes,
    Map<String, GatewayResponseConfig> gatewayResponses,
    List<String> binaryMediaTypes) {
  public FrozenApi {
    routes = List.copyOf(routes);
    gatewayResponses = Map.copyOf(gatewayResponses);
    binaryMediaTypes = List.copyOf(binaryMediaTypes);
  }
}
