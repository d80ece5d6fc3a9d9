package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.WholeBody;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.template.BackendReply;
import dev.turnpike.gateway.template.IntegrationResponses;
import dev.turnpike.gateway.template.MethodResponse;
import dev.turnpike.gateway.template.RequestMapping;
import dev.turnpike.gateway.template.ResponseMapping;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * An {@code http} (non-proxy) integration with request templates, integration responses or content
 * handling: the request body is read whole (at most {@link #MAX_BODY_BYTES}, API Gateway's payload
 * limit) and mapped, the backend's answer read whole and shaped by the integration response whose
 * selection pattern matches its status ({@link IntegrationResponses}). Without integration
 * responses the backend's answer passes through as it came.
 */
public final class MappedHttpIntegration implements Integration {
  /** API Gateway's payload limit, both ways. */
  static final long MAX_BODY_BYTES = 10L * 1024 * 1024;

  private final Backend backend;
  private final RequestMapping requestMapping;
  private final IntegrationResponses responses;
  private final ResponseMapping responseMapping;

  public MappedHttpIntegration(
      Backend backend,
      RequestMapping requestMapping,
      IntegrationResponses responses,
      ResponseMapping responseMapping) {
    this.backend = backend;
    this.requestMapping = requestMapping;
    this.responses = responses;
    this.responseMapping = responseMapping;
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    try {
      // Refused before the body is read when the target cannot be built at all; built again
      // below with what the request template overrides.
      HttpIntegration.prepare(backend, call);
    } catch (GatewayFailure refused) {
      return Future.failedFuture(refused);
    }
    return WholeBody.read(call, MAX_BODY_BYTES)
        .compose(body -> requestMapping.map(call, body))
        .compose(
            body -> {
              HttpIntegration.Prepared prepared;
              try {
                prepared = HttpIntegration.prepare(backend, call, body.override());
              } catch (GatewayFailure refused) {
                return Future.failedFuture(refused);
              }
              MultiMap headers = MultiMap.caseInsensitiveMultiMap();
              if (body.contentType() != null) {
                headers.set("Content-Type", body.contentType());
              }
              prepared.headers().forEach(headers::set);
              call.putTraceHeaders(headers);
              return WholeExchange.send(
                  backend, prepared.options(), call, body.body(), headers, MAX_BODY_BYTES);
            })
        .compose(reply -> respond(call, reply))
        .compose(response -> response.send(call.request().response(), call.tap()));
  }

  private Future<MethodResponse> respond(IntegrationCall call, BackendReply reply) {
    if (responses.isEmpty()) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      HopByHopHeaders.copyEndToEnd(reply.headers(), headers);
      return Future.succeededFuture(new MethodResponse(reply.status(), headers, reply.body()));
    }
    IntegrationResponses.Chosen chosen = responses.select(Integer.toString(reply.status()));
    if (chosen == null) {
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));
    }
    return responseMapping.map(chosen, reply, call);
  }
}
