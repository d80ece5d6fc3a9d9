package dev.turnpike.gateway.http;

import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.cache.ResponseCapture;
import dev.turnpike.gateway.domain.ClientCertificate;
import dev.turnpike.gateway.forwarding.Forwarding;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.gateway.integration.CallSite;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.runtime.InFlight;
import dev.turnpike.gateway.runtime.KeyRuntime;
import dev.turnpike.gateway.runtime.PlanBinding;
import dev.turnpike.gateway.runtime.RouteRuntime;
import dev.turnpike.gateway.runtime.StageRuntime;
import dev.turnpike.gateway.tracing.RequestTrace;
import dev.turnpike.gateway.websocket.ConnectRequest;
import dev.turnpike.logging.LogContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.Map;
import java.util.UUID;

/**
 * What the gateway learned about one request on its way through, for the response, the usage event,
 * the metrics and the access log. Confined to the request's event loop.
 */
final class Exchange {
  final HttpServerRequest request;
  final UUID requestId;
  final String requestIdText;
  final long startNanos;
  final long startEpochMillis;

  boolean bodyPaused;

  /** A CORS preflight the gateway answered itself: measured and logged, but not a metered call. */
  boolean preflight;

  /** The stage's API has CORS and this is no preflight: its headers go on the answer's head. */
  boolean corsOnHead;

  /** The client accepts an encoding: whether the answer is compressed is decided on its head. */
  boolean compressionOnHead;

  /** The tenant's in-progress count this request holds a place in, until it finishes. */
  InFlight inFlight;

  StageRuntime stage;

  /**
   * Whether the stage's canary serves this request; null when the stage has no canary (or none was
   * reached), so the access log leaves the field out as API Gateway does.
   */
  Boolean canary;

  /** The request path below the stage, still percent-encoded; "/" for the stage root. */
  String stagePath;

  RouteRuntime route;
  Map<String, String> pathParameters = Map.of();
  String greedyParameter;

  /** The client certificate a mutual-TLS custom domain verified; null otherwise. */
  ClientCertificate clientCert;

  /** Who the route's authorizer found the caller to be; null without one or before it answered. */
  Authorization authorization;

  /** The API key the call was admitted with, null when the route requires none. */
  String presentedKey;

  KeyRuntime key;
  PlanBinding plan;
  int status;
  Outcome outcome = Outcome.UNKNOWN;
  long bytesIn;
  long bytesOut;
  long integrationStartNanos;
  long integrationNanos;

  /** {@code HIT} or {@code MISS} for a request a cached route looked up; null otherwise. */
  String cacheStatus;

  /** Copies a miss's response body for the cache; null when it is not to be stored. */
  ResponseCapture capture;

  /** This request's spans, when the gateway traces it; null otherwise (most requests). */
  RequestTrace trace;

  /** What the execution log gathers for this request; null when its stage logs none (most). */
  ExecutionTrace execution;

  /** The failure the gateway answered with, null when the call was not refused or failed. */
  GatewayFailure failure;

  private final TrustedProxies trustedProxies;
  private Forwarding forwarding;

  Exchange(
      HttpServerRequest request,
      UUID requestId,
      long startNanos,
      long startEpochMillis,
      TrustedProxies trustedProxies) {
    this.request = request;
    this.trustedProxies = trustedProxies;
    this.requestId = requestId;
    this.requestIdText = requestId.toString();
    this.startNanos = startNanos;
    this.startEpochMillis = startEpochMillis;
  }

  /** Who called, worked out on first use: many requests end before anything asks. */
  Forwarding forwarding() {
    if (forwarding == null) {
      forwarding = Forwarding.of(request, trustedProxies);
    }
    return forwarding;
  }

  /**
   * The fields of this request's log lines, as far as it got: put into the MDC around each log call
   * ({@link LogContext#run}), as other requests' callbacks run on the same event loop in between.
   */
  LogContext logContext() {
    LogContext context =
        LogContext.EMPTY
            .with(LogContext.REQUEST_ID, requestIdText)
            .with(LogContext.TRACE_ID, traceId());
    if (stage != null) {
      context =
          context
              .with(LogContext.TENANT, stage.tenantId())
              .with(LogContext.API_ID, stage.apiId())
              .with(LogContext.STAGE, stage.stage());
    }
    return context;
  }

  /** What the integration, templates and mappings see of this call, as far as it got. */
  IntegrationCall call(ReadStream<Buffer> body) {
    return new IntegrationCall(
        request,
        body,
        pathParameters,
        greedyParameter,
        stage == null ? Map.of() : stage.deployment().stageVariables(),
        requestIdText,
        forwarding(),
        logContext(),
        authorization,
        presentedKey,
        key == null ? null : key.record().keyId(),
        new CallSite(
            stage == null ? null : stage.apiId(),
            stage == null ? null : stage.stage(),
            route == null ? null : route.routeId(),
            route == null ? null : route.resourcePath(),
            Boolean.TRUE.equals(canary)),
        startEpochMillis,
        clientCert,
        execution == null ? capture : execution.tap(capture),
        trace == null ? null : trace.integrationTraceparent());
  }

  /** What the WebSocket gateway learns of this call, an admitted handshake. */
  ConnectRequest connectRequest() {
    ConnectRequest.MessageAdmission messages =
        plan == null ? ConnectRequest.MessageAdmission.ALWAYS : Throttles.perMessage(key, plan);
    return new ConnectRequest(
        request,
        stage.webSocket(),
        requestIdText,
        startEpochMillis,
        forwarding().clientAddress(),
        authorization,
        presentedKey,
        key == null ? null : key.record().keyId(),
        key == null ? null : key.record().appId(),
        plan == null ? null : plan.planId(),
        logContext(),
        messages,
        Boolean.TRUE.equals(canary),
        plan == null || key == null ? 0 : plan.maxConnectionsPerKey());
  }

  /**
   * The trace this request belongs to: the gateway's when it traces it, else the one the client
   * named (W3C or X-Ray form), else null; for the log lines and the access log.
   */
  String traceId() {
    return trace != null ? trace.traceId() : TraceIds.of(request);
  }

  /** As {@link #traceId}, W3C's form only (the usage event's field): 32 hex digits or null. */
  String w3cTraceId() {
    return trace != null
        ? trace.traceId()
        : TraceIds.fromTraceparent(request.getHeader("traceparent"));
  }

  String keyPrefix() {
    return key == null ? null : key.record().prefix();
  }

  String principalId() {
    return authorization == null ? null : authorization.principalId();
  }
}
