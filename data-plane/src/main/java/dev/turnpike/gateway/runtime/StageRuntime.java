package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.AccessLogFormat;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.cors.CorsPolicy;
import dev.turnpike.gateway.observability.StageMeters;
import dev.turnpike.gateway.response.GatewayResponses;
import dev.turnpike.gateway.routing.RouteTable;
import dev.turnpike.gateway.sourceip.SourceAddressRules;
import dev.turnpike.gateway.template.GatewayResponseTemplates;
import dev.turnpike.gateway.throttle.GcraLimiter;
import dev.turnpike.gateway.websocket.WebSocketStage;
import java.util.Map;

/**
 * One deployed API stage, compiled for serving.
 *
 * @param plans the usage plans bound to this stage, by plan id
 * @param stageLimiter the stage-wide limit, null when none
 * @param accountLimiter the tenant's account-wide limit
 * @param inFlight the tenant's requests in progress on this node, shared by all its stages
 * @param responseTemplates the gateway responses whose answers templates or parameters shape
 * @param sourceRules the resource policy on the caller's address, null when the stage has none
 * @param compression which responses are compressed, null when none are
 * @param decompressRequests whether gzip request bodies are inflated before the integration
 * @param cors the API's CORS policy, null when it has none (then nothing is added or answered)
 * @param webSocket a WebSocket API's routes, null for an HTTP API; its route table then holds the
 *     handshake ({@code GET /}, route key {@code $connect}) only
 * @param canary the stage's canary, null when it has none (then serving costs one null check)
 * @param isCanary whether this runtime is a canary's side of its stage
 * @param accessLogFormat the owner's access-log format, parsed once per deployment; null when the
 *     stage has none (then the access log writes its JSON fields)
 * @param executionLogging the stage's execution logs; null when they are off (then a request costs
 *     one null check for them)
 */
public record StageRuntime(
    DeploymentSnapshot deployment,
    RouteTable<RouteRuntime> routes,
    Map<String, PlanBinding> plans,
    GcraLimiter stageLimiter,
    GcraLimiter accountLimiter,
    GatewayResponses responses,
    StageMeters meters,
    InFlight inFlight,
    GatewayResponseTemplates responseTemplates,
    SourceAddressRules sourceRules,
    ResponseCompression compression,
    boolean decompressRequests,
    CorsPolicy cors,
    WebSocketStage webSocket,
    CanaryRuntime canary,
    boolean isCanary,
    AccessLogFormat accessLogFormat,
    StageExecutionLogging executionLogging) {

  /** This stage with a canary, null for none. */
  StageRuntime withCanary(CanaryRuntime canary) {
    return new StageRuntime(
        deployment,
        routes,
        plans,
        stageLimiter,
        accountLimiter,
        responses,
        meters,
        inFlight,
        responseTemplates,
        sourceRules,
        compression,
        decompressRequests,
        cors,
        webSocket,
        canary,
        isCanary,
        accessLogFormat,
        executionLogging);
  }

  public String tenantId() {
    return deployment.tenantId();
  }

  public String apiId() {
    return deployment.apiId();
  }

  public String stage() {
    return deployment.stage();
  }
}
