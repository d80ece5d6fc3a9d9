package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.ParameterMapping;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.mapping.Rendered;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway's {@code http} (non-proxy) integration: the backend request is built from the
 * integration's method, URI and parameter mappings only; client headers and query parameters reach
 * the backend only where a mapping says so. This one serves integrations without templates,
 * integration responses or content handling: the body passes through unchanged (the {@code
 * when_no_match} passthrough behaviour), streamed, and so does the backend's response; {@link
 * MappedHttpIntegration} serves the others.
 */
public final class HttpIntegration implements Integration {
  private final Backend backend;

  public HttpIntegration(Backend backend) {
    this.backend = backend;
  }

  /** The backend request of one call: where it goes and the headers mappings give it. */
  record Prepared(RequestOptions options, Map<String, String> headers) {}

  /**
   * @throws GatewayFailure when the call cannot be sent (a target the URI cannot be built for)
   */
  static Prepared prepare(Backend backend, IntegrationCall call) {
    return prepare(backend, call, Rendered.RequestOverride.NONE);
  }

  /**
   * The integration request with what a request template set in {@code $context.requestOverride}:
   * an overridden header, query string or path parameter replaces the mapped one (or is added), as
   * on API Gateway. Headers that frame the connection or the message (hop-by-hop, {@code Host},
   * {@code Content-Length}) are the gateway's and are not overridden.
   *
   * @throws GatewayFailure when the call cannot be sent (a target the URI cannot be built for)
   */
  static Prepared prepare(
      Backend backend, IntegrationCall call, Rendered.RequestOverride override) {
    HttpServerRequest in = call.request();
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, String> headers = new HashMap<>();
    for (ParameterMapping.Entry entry : backend.mapping().entries()) {
      // Path values are ParameterMapping.pathValues's.
      String value =
          entry.target() == ParameterMapping.Target.PATH
              ? null
              : ParameterMapping.valueOf(entry, call);
      if (value == null) {
        continue;
      }
      switch (entry.target()) {
        case PATH -> {}
        case QUERYSTRING -> query.put(entry.name(), value);
        case HEADER -> headers.put(entry.name(), value);
      }
    }
    query.putAll(override.querystring());
    override
        .headers()
        .forEach(
            (name, value) -> {
              if (isOverridable(name, value)) {
                headers.put(name, value);
              }
            });
    String target;
    try {
      ParameterMapping.PathValues path = backend.mapping().pathValues(call);
      Map<String, String> pathValues = path.values();
      if (!override.path().isEmpty()) {
        pathValues = new HashMap<>(pathValues);
        pathValues.putAll(override.path());
      }
      target = backend.uri().expand(pathValues, path.spanning(), call.stageVariables());
    } catch (GatewayFailure refused) {
      throw refused;
    } catch (IllegalArgumentException e) {
      throw new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR);
    }
    if (!query.isEmpty()) {
      StringBuilder encoded = new StringBuilder();
      query.forEach(
          (name, value) ->
              encoded
                  .append(encoded.isEmpty() ? "" : "&")
                  .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
      target = target + (backend.uri().hasQuery() ? '&' : '?') + encoded;
    }
    return new Prepared(backend.requestTo(target, in.method()), headers);
  }

  private static boolean isOverridable(String name, String value) {
    return HopByHopHeaders.isWellFormed(name, value)
        && !HopByHopHeaders.isHopByHop(name)
        && !name.equalsIgnoreCase("host")
        && !name.equalsIgnoreCase("content-length");
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    HttpServerRequest in = call.request();
    Prepared prepared;
    try {
      prepared = prepare(backend, call);
    } catch (GatewayFailure refused) {
      return Future.failedFuture(refused);
    }
    String contentType = in.getHeader("content-type");
    String contentLength = in.getHeader("content-length");
    return BackendRelay.relay(
        backend,
        prepared.options(),
        call,
        true,
        out -> {
          if (contentType != null) {
            out.set("Content-Type", contentType);
          }
          if (contentLength != null) {
            out.set("Content-Length", contentLength);
          }
          prepared.headers().forEach(out::set);
        });
  }
}
