package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.forwarding.Forwarding;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.ParameterMapping;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

/**
 * API Gateway's {@code http_proxy}: the client's method, headers, query and body go to the backend
 * as they are (minus hop-by-hop headers and, unless it came through a trusted front proxy, the
 * client's own forwarding headers; plus X-Forwarded-* as {@link Forwarding} says), and the
 * backend's response comes back as it is, streamed both ways.
 */
public final class HttpProxyIntegration implements Integration {
  private final Backend backend;

  public HttpProxyIntegration(Backend backend) {
    this.backend = backend;
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    HttpServerRequest in = call.request();
    String target;
    try {
      ParameterMapping.PathValues path = backend.mapping().pathValues(call);
      target = backend.uri().expand(path.values(), path.spanning(), call.stageVariables());
    } catch (GatewayFailure refused) {
      return Future.failedFuture(refused);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));
    }
    String query = in.query();
    if (query != null && !query.isEmpty()) {
      target = target + (backend.uri().hasQuery() ? '&' : '?') + query;
    }
    RequestOptions options = backend.requestTo(target, in.method());
    return BackendRelay.relay(
        backend,
        options,
        call,
        true,
        headers -> {
          Forwarding forwarding = call.forwarding();
          HopByHopHeaders.copyEndToEnd(in.headers(), headers, !forwarding.fromTrustedProxy());
          headers.set("X-Forwarded-For", forwarding.forwardedFor());
          headers.set("X-Forwarded-Proto", forwarding.proto());
          if (forwarding.host() != null) {
            headers.set("X-Forwarded-Host", forwarding.host());
          }
          for (ParameterMapping.Entry entry : backend.mapping().entries()) {
            if (entry.target() == ParameterMapping.Target.HEADER) {
              String value = ParameterMapping.valueOf(entry, call);
              if (value != null) {
                headers.set(entry.name(), value);
              }
            }
          }
        });
  }
}
