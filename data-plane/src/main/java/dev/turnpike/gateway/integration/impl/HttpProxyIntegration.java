package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.http.GatewayFailure;
import dev.turnpike.gateway.http.GatewayResponseType;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.ParameterMapping;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * API Gateway's {@code http_proxy}: the client's method, headers, query and body go to the backend
 * as they are (minus hop-by-hop headers, plus X-Forwarded-*), and the backend's response comes back
 * as it is, streamed both ways.
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
      target = backend.uri().expand(pathValues(call), call.stageVariables());
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
          HopByHopHeaders.copyEndToEnd(in.headers(), headers);
          String forwardedFor = in.getHeader("x-forwarded-for");
          headers.set(
              "X-Forwarded-For",
              forwardedFor == null
                  ? call.clientAddress()
                  : forwardedFor + ", " + call.clientAddress());
          headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
          if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
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

  /** URI placeholders take mapped path values first, then the route's own path parameters. */
  private Map<String, String> pathValues(IntegrationCall call) {
    if (backend.mapping().isEmpty()) {
      return call.pathParameters();
    }
    Map<String, String> values = new HashMap<>(call.pathParameters());
    for (ParameterMapping.Entry entry : backend.mapping().entries()) {
      if (entry.target() == ParameterMapping.Target.PATH) {
        String value = ParameterMapping.valueOf(entry, call);
        if (value != null) {
          values.put(entry.name(), value);
        }
      }
    }
    return values;
  }
}
