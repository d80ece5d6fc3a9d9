package dev.turnpike.gateway.integration;

import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.domain.ClientCertificate;
import dev.turnpike.gateway.forwarding.Forwarding;
import dev.turnpike.gateway.tracing.TraceHeaders;
import dev.turnpike.logging.LogContext;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.Map;

/**
 * What an integration needs to serve one request.
 *
 * @param body the request body as it streams in (counted and size-limited by the gateway); read it
 *     instead of {@code request}
 * @param pathParameters decoded values of the matched route's {@code {name}} and {@code {name+}}
 * @param greedyParameter the name of the route's {@code {name+}}, whose value may span backend path
 *     segments; null when the route has none
 * @param forwarding who the caller is and what the backend is told about it
 * @param log the request's log fields, for lines an integration logs about it (in callbacks, where
 *     the event loop may be serving another request)
 * @param authorization who the route's authorizer found the caller to be; null when the route has
 *     no authorizer
 * @param apiKey the API key the call was admitted with (from {@code x-api-key} or the authorizer's
 *     usage identifier); null when the route requires none
 * @param apiKeyId that key's id; null when the route requires none
 * @param site the API, stage and route the call was served through
 * @param requestTimeEpoch when the gateway received the call, epoch milliseconds
 * @param clientCert the client certificate a mutual-TLS custom domain verified; null otherwise
 * @param tap sees the response body sent, for the stage cache; {@link BodyTap#NONE} when nothing is
 *     to be kept
 * @param traceparent the gateway's {@code traceparent} for the backend (its integration span), null
 *     when the gateway does not trace the call; see {@link #putTraceHeaders}
 */
public record IntegrationCall(
    HttpServerRequest request,
    ReadStream<Buffer> body,
    Map<String, String> pathParameters,
    String greedyParameter,
    Map<String, String> stageVariables,
    String requestId,
    Forwarding forwarding,
    LogContext log,
    Authorization authorization,
    String apiKey,
    String apiKeyId,
    CallSite site,
    long requestTimeEpoch,
    ClientCertificate clientCert,
    BodyTap tap,
    String traceparent) {
  public IntegrationCall {
    tap = tap == null ? BodyTap.NONE : tap;
  }

  /** A call the gateway does not trace. */
  public IntegrationCall(
      HttpServerRequest request,
      ReadStream<Buffer> body,
      Map<String, String> pathParameters,
      String greedyParameter,
      Map<String, String> stageVariables,
      String requestId,
      Forwarding forwarding,
      LogContext log,
      Authorization authorization,
      String apiKey,
      String apiKeyId,
      CallSite site,
      long requestTimeEpoch,
      ClientCertificate clientCert,
      BodyTap tap) {
    this(
        request,
        body,
        pathParameters,
        greedyParameter,
        stageVariables,
        requestId,
        forwarding,
        log,
        authorization,
        apiKey,
        apiKeyId,
        site,
        requestTimeEpoch,
        clientCert,
        tap,
        null);
  }

  /** A call whose response is not cached. */
  public IntegrationCall(
      HttpServerRequest request,
      ReadStream<Buffer> body,
      Map<String, String> pathParameters,
      String greedyParameter,
      Map<String, String> stageVariables,
      String requestId,
      Forwarding forwarding,
      LogContext log,
      Authorization authorization,
      String apiKey,
      String apiKeyId,
      CallSite site,
      long requestTimeEpoch,
      ClientCertificate clientCert) {
    this(
        request,
        body,
        pathParameters,
        greedyParameter,
        stageVariables,
        requestId,
        forwarding,
        log,
        authorization,
        apiKey,
        apiKeyId,
        site,
        requestTimeEpoch,
        clientCert,
        BodyTap.NONE);
  }

  /** A call without a client certificate. */
  public IntegrationCall(
      HttpServerRequest request,
      ReadStream<Buffer> body,
      Map<String, String> pathParameters,
      String greedyParameter,
      Map<String, String> stageVariables,
      String requestId,
      Forwarding forwarding,
      LogContext log,
      Authorization authorization,
      String apiKey,
      String apiKeyId,
      CallSite site,
      long requestTimeEpoch) {
    this(
        request,
        body,
        pathParameters,
        greedyParameter,
        stageVariables,
        requestId,
        forwarding,
        log,
        authorization,
        apiKey,
        apiKeyId,
        site,
        requestTimeEpoch,
        null,
        BodyTap.NONE);
  }

  /** W3C trace context for the backend request: the gateway's, else the client's, else none. */
  public void putTraceHeaders(MultiMap out) {
    TraceHeaders.put(out, traceparent, request);
  }

  /** The {@code traceparent} a function invocation carries; null for none. */
  public String outgoingTraceparent() {
    return TraceHeaders.traceparent(traceparent, request);
  }

  /** The caller's IP: {@code $context.identity.sourceIp}. */
  public String clientAddress() {
    return forwarding.clientAddress();
  }

  /** One {@code $context} variable, see {@link CallContext#value}. */
  public String context(String name) {
    return CallContext.value(this, name);
  }
}
