package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a gateway node needs to serve one API stage, frozen at deployment time. Immutable: a
 * redeploy publishes a new snapshot under the same key.
 *
 * @param hash SHA-256 of the frozen API definition, so nodes and owners can compare deployments
 * @param methodThrottles stage-level per-method limits keyed {@code "/path/METHOD"}
 * @param accessLogFields the access-log fields for this stage, empty for the node's default
 * @param gatewayResponses owner overrides keyed by gateway response type
 * @param authorizers the API's authorizers, which routes name in {@link
 *     RouteConfig#authorization()}
 * @param apiKeySource where key-required routes find the key; null reads as {@link
 *     ApiKeySource#HEADER}
 * @param edge CORS, source-address policy and compression; null reads as {@link EdgeConfig#NONE}
 * @param cache the stage's response cache; null reads as {@link StageCacheConfig#OFF}
 * @param upstreams the API's upstreams, which integrations name as {@code upstream://name/...};
 *     left out of the JSON when there are none, so such records are written as before
 * @param webSocket the routes of a WebSocket API; null, and left out of the JSON, for an HTTP API
 *     (so every earlier record reads as one)
 * @param canary the stage's canary, null for none (left out of the JSON, so a stage without one is
 *     written as before); a canary's own snapshot never has one
 * @param tracing the stage's traces; null reads as {@link StageTracing#OFF} and is left out of the
 *     JSON, so an untraced stage's record is written as before
 */
public record DeploymentSnapshot(
    int schemaVersion,
    String tenantId,
    String tenantSlug,
    String apiId,
    String apiSlug,
    String stage,
    String deploymentId,
    String hash,
    Instant deployedAt,
    Map<String, String> stageVariables,
    ThrottleLimit stageThrottle,
    Map<String, ThrottleLimit> methodThrottles,
    List<String> accessLogFields,
    List<RouteConfig> routes,
    Map<String, GatewayResponseConfig> gatewayResponses,
    List<String> binaryMediaTypes,
    List<AuthorizerConfig> authorizers,
    ApiKeySource apiKeySource,
    EdgeConfig edge,
    StageCacheConfig cache,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UpstreamConfig> upstreams,
    @JsonInclude(JsonInclude.Include.NON_NULL) WebSocketApiConfig webSocket,
    @JsonInclude(JsonInclude.Include.NON_NULL) CanaryConfig canary,
    @JsonInclude(JsonInclude.Include.NON_NULL) StageTracing tracing)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<DeploymentSnapshot> CODEC =
      JsonCodec.of(DeploymentSnapshot.class, SCHEMA_VERSION);

  public DeploymentSnapshot {
    stageVariables = stageVariables == null ? Map.of() : Map.copyOf(stageVariables);
    methodThrottles = methodThrottles == null ? Map.of() : Map.copyOf(methodThrottles);
    accessLogFields = accessLogFields == null ? List.of() : List.copyOf(accessLogFields);
    routes = routes == null ? List.of() : List.copyOf(routes);
    gatewayResponses = gatewayResponses == null ? Map.of() : Map.copyOf(gatewayResponses);
    binaryMediaTypes = binaryMediaTypes == null ? List.of() : List.copyOf(binaryMediaTypes);
    authorizers = authorizers == null ? List.of() : List.copyOf(authorizers);
    apiKeySource = apiKeySource == null ? ApiKeySource.HEADER : apiKeySource;
    edge = edge == null ? EdgeConfig.NONE : edge;
    cache = cache == null ? StageCacheConfig.OFF : cache;
    upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
    if (canary != null && canary.deployment().canary() != null) {
      throw new IllegalArgumentException("a canary's snapshot cannot carry a canary of its own");
    }
  }

  /** A snapshot of an untraced stage, of a WebSocket API when {@code webSocket} is not null. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache,
      List<UpstreamConfig> upstreams,
      WebSocketApiConfig webSocket,
      CanaryConfig canary) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        null);
  }

  /** A snapshot of an HTTP API with {@code canary} and {@code tracing}, each null for none. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache,
      List<UpstreamConfig> upstreams,
      CanaryConfig canary,
      StageTracing tracing) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        null,
        canary,
        tracing);
  }

  /** A snapshot without a canary, of a WebSocket API when {@code webSocket} is not null. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache,
      List<UpstreamConfig> upstreams,
      WebSocketApiConfig webSocket) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        null,
        null);
  }

  /** A snapshot of an HTTP API with {@code canary}, null for none. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache,
      List<UpstreamConfig> upstreams,
      CanaryConfig canary) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        null,
        canary,
        null);
  }

  /** A snapshot of an HTTP API without a canary, with {@code tracing}, null for none. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache,
      List<UpstreamConfig> upstreams,
      StageTracing tracing) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        null,
        null,
        tracing);
  }

  /** A snapshot of an HTTP API without a canary. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache,
      List<UpstreamConfig> upstreams) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        null,
        null,
        null);
  }

  /** A snapshot without upstreams. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      StageCacheConfig cache) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        List.of());
  }

  /** A snapshot without a response cache, with {@code upstreams}. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge,
      List<UpstreamConfig> upstreams) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        StageCacheConfig.OFF,
        upstreams);
  }

  /** A snapshot without a response cache or upstreams. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource,
      EdgeConfig edge) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        StageCacheConfig.OFF,
        List.of());
  }

  /** A snapshot without edge settings (no CORS, address policy or compression). */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes,
      List<AuthorizerConfig> authorizers,
      ApiKeySource apiKeySource) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        EdgeConfig.NONE);
  }

  /** A snapshot without authorizers, keys read from the {@code x-api-key} header. */
  public DeploymentSnapshot(
      int schemaVersion,
      String tenantId,
      String tenantSlug,
      String apiId,
      String apiSlug,
      String stage,
      String deploymentId,
      String hash,
      Instant deployedAt,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      List<RouteConfig> routes,
      Map<String, GatewayResponseConfig> gatewayResponses,
      List<String> binaryMediaTypes) {
    this(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        List.of(),
        ApiKeySource.HEADER,
        EdgeConfig.NONE);
  }

  /** This snapshot with other edge settings. */
  public DeploymentSnapshot withEdge(EdgeConfig edge) {
    return new DeploymentSnapshot(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        tracing);
  }

  /** This snapshot with other response cache settings. */
  public DeploymentSnapshot withCache(StageCacheConfig cache) {
    return new DeploymentSnapshot(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        tracing);
  }

  /** This snapshot with other upstreams. */
  public DeploymentSnapshot withUpstreams(List<UpstreamConfig> upstreams) {
    return new DeploymentSnapshot(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        tracing);
  }

  /** This snapshot serving a WebSocket API with {@code webSocket}'s routes (null for HTTP). */
  public DeploymentSnapshot withWebSocket(WebSocketApiConfig webSocket) {
    return new DeploymentSnapshot(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        tracing);
  }

  /** This snapshot with another canary, null for none. */
  public DeploymentSnapshot withCanary(CanaryConfig canary) {
    return new DeploymentSnapshot(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        tracing);
  }

  /** This snapshot with other trace settings. */
  public DeploymentSnapshot withTracing(StageTracing tracing) {
    return new DeploymentSnapshot(
        schemaVersion,
        tenantId,
        tenantSlug,
        apiId,
        apiSlug,
        stage,
        deploymentId,
        hash,
        deployedAt,
        stageVariables,
        stageThrottle,
        methodThrottles,
        accessLogFields,
        routes,
        gatewayResponses,
        binaryMediaTypes,
        authorizers,
        apiKeySource,
        edge,
        cache,
        upstreams,
        webSocket,
        canary,
        tracing);
  }

  /** The stage's traces: {@link StageTracing#OFF} when the snapshot has none. */
  public StageTracing tracingOrOff() {
    return tracing == null ? StageTracing.OFF : tracing;
  }

  /** What kind of API this deployment serves. */
  @JsonIgnore
  public ApiProtocol protocol() {
    return webSocket == null ? ApiProtocol.HTTP : ApiProtocol.WEBSOCKET;
  }

  /** The upstream an integration names, or null when the snapshot has none by that name. */
  public UpstreamConfig upstream(String name) {
    for (UpstreamConfig upstream : upstreams) {
      if (upstream.name().equals(name)) {
        return upstream;
      }
    }
    return null;
  }

  /** The authorizer a route names, or null when the snapshot has none by that id. */
  public AuthorizerConfig authorizer(String authorizerId) {
    for (AuthorizerConfig authorizer : authorizers) {
      if (authorizer.authorizerId().equals(authorizerId)) {
        return authorizer;
      }
    }
    return null;
  }
}
