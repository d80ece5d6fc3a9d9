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
 * @param accessLogFormat the owner's access-log format ({@link AccessLogFormat}, API Gateway's
 *     {@code accessLogSettings.format}), null for none (then {@link #accessLogFields} apply); left
 *     out of the JSON when null, so a stage without one is written as before
 * @param executionLogging the stage's execution logs ({@code loggingLevel}, {@code
 *     dataTraceEnabled}); null when they are off, and then left out of the JSON, so a stage without
 *     them is written as before
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
    @JsonInclude(JsonInclude.Include.NON_NULL) StageTracing tracing,
    @JsonInclude(JsonInclude.Include.NON_NULL) String accessLogFormat,
    @JsonInclude(JsonInclude.Include.NON_NULL) StageExecutionLogging executionLogging)
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
    // Off is written as absent, whichever way it came, so equal settings make equal records.
    executionLogging = executionLogging == null ? null : executionLogging.orNullWhenOff();
    if (canary != null && canary.deployment().canary() != null) {
      throw new IllegalArgumentException("a canary's snapshot cannot carry a canary of its own");
    }
  }

  /**
   * A snapshot built by name: an HTTP API's, with no authorizers, edge settings, cache, upstreams,
   * canary, traces or access-log format until set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this snapshot, for a copy with some components changed. */
  public Builder toBuilder() {
    return new Builder()
        .schemaVersion(schemaVersion)
        .tenantId(tenantId)
        .tenantSlug(tenantSlug)
        .apiId(apiId)
        .apiSlug(apiSlug)
        .stage(stage)
        .deploymentId(deploymentId)
        .hash(hash)
        .deployedAt(deployedAt)
        .stageVariables(stageVariables)
        .stageThrottle(stageThrottle)
        .methodThrottles(methodThrottles)
        .accessLogFields(accessLogFields)
        .routes(routes)
        .gatewayResponses(gatewayResponses)
        .binaryMediaTypes(binaryMediaTypes)
        .authorizers(authorizers)
        .apiKeySource(apiKeySource)
        .edge(edge)
        .cache(cache)
        .upstreams(upstreams)
        .webSocket(webSocket)
        .canary(canary)
        .tracing(tracing)
        .accessLogFormat(accessLogFormat)
        .executionLogging(executionLogging);
  }

  /** The stage's traces: {@link StageTracing#OFF} when the snapshot has none. */
  public StageTracing tracingOrOff() {
    return tracing == null ? StageTracing.OFF : tracing;
  }

  /** The stage's execution logs: {@link StageExecutionLogging#OFF} when the snapshot has none. */
  public StageExecutionLogging executionLoggingOrOff() {
    return executionLogging == null ? StageExecutionLogging.OFF : executionLogging;
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

  /**
   * Builds a snapshot component by component; one left unset keeps its {@link #builder()} default.
   */
  public static final class Builder {
    private int schemaVersion = SCHEMA_VERSION;
    private String tenantId;
    private String tenantSlug;
    private String apiId;
    private String apiSlug;
    private String stage;
    private String deploymentId;
    private String hash;
    private Instant deployedAt;
    private Map<String, String> stageVariables = Map.of();
    private ThrottleLimit stageThrottle;
    private Map<String, ThrottleLimit> methodThrottles = Map.of();
    private List<String> accessLogFields = List.of();
    private List<RouteConfig> routes = List.of();
    private Map<String, GatewayResponseConfig> gatewayResponses = Map.of();
    private List<String> binaryMediaTypes = List.of();
    private List<AuthorizerConfig> authorizers = List.of();
    private ApiKeySource apiKeySource = ApiKeySource.HEADER;
    private EdgeConfig edge = EdgeConfig.NONE;
    private StageCacheConfig cache = StageCacheConfig.OFF;
    private List<UpstreamConfig> upstreams = List.of();
    private WebSocketApiConfig webSocket;
    private CanaryConfig canary;
    private StageTracing tracing;
    private String accessLogFormat;
    private StageExecutionLogging executionLogging;

    private Builder() {}

    public Builder schemaVersion(int schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    public Builder tenantSlug(String tenantSlug) {
      this.tenantSlug = tenantSlug;
      return this;
    }

    public Builder apiId(String apiId) {
      this.apiId = apiId;
      return this;
    }

    public Builder apiSlug(String apiSlug) {
      this.apiSlug = apiSlug;
      return this;
    }

    public Builder stage(String stage) {
      this.stage = stage;
      return this;
    }

    public Builder deploymentId(String deploymentId) {
      this.deploymentId = deploymentId;
      return this;
    }

    public Builder hash(String hash) {
      this.hash = hash;
      return this;
    }

    public Builder deployedAt(Instant deployedAt) {
      this.deployedAt = deployedAt;
      return this;
    }

    public Builder stageVariables(Map<String, String> stageVariables) {
      this.stageVariables = stageVariables;
      return this;
    }

    public Builder stageThrottle(ThrottleLimit stageThrottle) {
      this.stageThrottle = stageThrottle;
      return this;
    }

    public Builder methodThrottles(Map<String, ThrottleLimit> methodThrottles) {
      this.methodThrottles = methodThrottles;
      return this;
    }

    public Builder accessLogFields(List<String> accessLogFields) {
      this.accessLogFields = accessLogFields;
      return this;
    }

    public Builder routes(List<RouteConfig> routes) {
      this.routes = routes;
      return this;
    }

    public Builder gatewayResponses(Map<String, GatewayResponseConfig> gatewayResponses) {
      this.gatewayResponses = gatewayResponses;
      return this;
    }

    public Builder binaryMediaTypes(List<String> binaryMediaTypes) {
      this.binaryMediaTypes = binaryMediaTypes;
      return this;
    }

    public Builder authorizers(List<AuthorizerConfig> authorizers) {
      this.authorizers = authorizers;
      return this;
    }

    public Builder apiKeySource(ApiKeySource apiKeySource) {
      this.apiKeySource = apiKeySource;
      return this;
    }

    public Builder edge(EdgeConfig edge) {
      this.edge = edge;
      return this;
    }

    public Builder cache(StageCacheConfig cache) {
      this.cache = cache;
      return this;
    }

    public Builder upstreams(List<UpstreamConfig> upstreams) {
      this.upstreams = upstreams;
      return this;
    }

    public Builder webSocket(WebSocketApiConfig webSocket) {
      this.webSocket = webSocket;
      return this;
    }

    public Builder canary(CanaryConfig canary) {
      this.canary = canary;
      return this;
    }

    public Builder tracing(StageTracing tracing) {
      this.tracing = tracing;
      return this;
    }

    public Builder accessLogFormat(String accessLogFormat) {
      this.accessLogFormat = accessLogFormat;
      return this;
    }

    public Builder executionLogging(StageExecutionLogging executionLogging) {
      this.executionLogging = executionLogging;
      return this;
    }

    public DeploymentSnapshot build() {
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
          tracing,
          accessLogFormat,
          executionLogging);
    }
  }
}
