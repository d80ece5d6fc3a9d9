package dev.turnpike.controlplane.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.CompressionConfig;
import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.WebSocketApiConfig;
import java.util.List;
import java.util.Map;

/**
 * The part of a deployment snapshot that comes from the API definition: what a deployment freezes.
 * Stage settings are not part of it; they are applied when the snapshot is published.
 *
 * @param authorizers the API's authorizers, Lambda-style ones' functions resolved; deployments made
 *     before authorizers existed read as none
 * @param apiKeySource where key-required routes find the key; those deployments read as HEADER
 * @param sourceIpPolicy the API's resource policy, merged with the stage's when published; null for
 *     none (left out of the frozen JSON then, so definitions without one hash as before)
 * @param compression the API's compression settings, null for none
 * @param cors the API's CORS configuration, null for none (and left out of the frozen JSON, so a
 *     definition without it keeps the hash it had before CORS existed)
 * @param upstreams the API's upstreams by name; left out of the JSON when there are none, so the
 *     hash of a definition without them is what it was before upstreams existed
 * @param webSocket a WebSocket API's routes, functions resolved; null for an HTTP API (and left out
 *     of the JSON, so an HTTP API's definition hashes as before)
 */
public record FrozenApi(
    String apiId,
    String apiSlug,
    List<RouteConfig> routes,
    Map<String, GatewayResponseConfig> gatewayResponses,
    List<String> binaryMediaTypes,
    List<AuthorizerConfig> authorizers,
    ApiKeySource apiKeySource,
    @JsonInclude(JsonInclude.Include.NON_NULL) SourceIpPolicy sourceIpPolicy,
    @JsonInclude(JsonInclude.Include.NON_NULL) CompressionConfig compression,
    @JsonInclude(JsonInclude.Include.NON_NULL) CorsConfiguration cors,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UpstreamConfig> upstreams,
    @JsonInclude(JsonInclude.Include.NON_NULL) WebSocketApiConfig webSocket) {
  public FrozenApi {
    routes = List.copyOf(routes);
    gatewayResponses = Map.copyOf(gatewayResponses);
    binaryMediaTypes = List.copyOf(binaryMediaTypes);
    authorizers = authorizers == null ? List.of() : List.copyOf(authorizers);
    apiKeySource = apiKeySource == null ? ApiKeySource.HEADER : apiKeySource;
    upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
  }

  /** An HTTP API's definition. */
  public FrozenApi(
      String apiId,
      String apiSlug,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      SourceIpPolicy sourceIpPolicy,
      CompressionConfig compression,
      CorsConfiguration cors,
      List<UpstreamConfig> upstreams) {
    this(
        apiId,
        apiSlug,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        sourceIpPolicy,
        compression,
        cors,
        upstreams,
        null);
  }

  /** This definition serving {@code webSocket}'s routes. */
  public FrozenApi withWebSocket(WebSocketApiConfig webSocket) {
    return new FrozenApi(
        apiId,
        apiSlug,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        sourceIpPolicy,
        compression,
        cors,
        upstreams,
        webSocket);
  }

  /** A definition without upstreams. */
  public FrozenApi(
      String apiId,
      String apiSlug,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      SourceIpPolicy sourceIpPolicy,
      CompressionConfig compression,
      CorsConfiguration cors) {
    this(
        apiId,
        apiSlug,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        sourceIpPolicy,
        compression,
        cors,
        List.of());
  }

  /** A definition without authorizers, keys from the {@code x-api-key} header. */
  public FrozenApi(
      String apiId,
      String apiSlug,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes) {
    this(
        apiId,
        apiSlug,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        List.of(),
        null,
        null,
        null,
        null);
  }
}
