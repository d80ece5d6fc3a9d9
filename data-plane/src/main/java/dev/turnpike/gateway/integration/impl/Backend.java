package dev.turnpike.gateway.integration.impl;

import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.ParameterMapping;
import dev.turnpike.gateway.integration.UriTemplate;
import dev.turnpike.gateway.upstream.UpstreamPool;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Where an HTTP integration sends its requests, fixed per deployment: the tenant's pool, the URI
 * template (and its origin, when that is literal), what the egress policy admits, the method (null
 * for the client's, API Gateway's ANY), the parameter mappings and the timeouts.
 *
 * @param upstream the upstream an {@code upstream://name/...} URI names, whose targets the requests
 *     go to; null for a URI naming a host
 */
public record Backend(
    HttpClient client,
    UriTemplate uri,
    FixedOrigin origin,
    BackendTarget target,
    HttpMethod method,
    ParameterMapping mapping,
    long connectTimeoutMillis,
    long timeoutMillis,
    UpstreamPool upstream) {

  /** A backend that names its host in its URI. */
  public Backend(
      HttpClient client,
      UriTemplate uri,
      FixedOrigin origin,
      BackendTarget target,
      HttpMethod method,
      ParameterMapping mapping,
      long connectTimeoutMillis,
      long timeoutMillis) {
    this(client, uri, origin, target, method, mapping, connectTimeoutMillis, timeoutMillis, null);
  }

  /**
   * A backend sending to {@code upstream}'s targets: the egress policy decides each target as it is
   * picked, so nothing is decided here.
   */
  static Backend toUpstream(
      HttpClient client,
      EgressGuard guard,
      IntegrationOwner owner,
      UriTemplate uri,
      HttpMethod method,
      ParameterMapping mapping,
      long connectTimeoutMillis,
      long timeoutMillis,
      UpstreamPool upstream) {
    return new Backend(
        client,
        uri,
        null,
        BackendTarget.of(guard, owner, null),
        method,
        mapping,
        connectTimeoutMillis,
        timeoutMillis,
        upstream);
  }

  /** A backend of {@code owner}'s, its targets admitted by {@code guard}. */
  public static Backend of(
      HttpClient client,
      EgressGuard guard,
      IntegrationOwner owner,
      UriTemplate uri,
      HttpMethod method,
      ParameterMapping mapping,
      long connectTimeoutMillis,
      long timeoutMillis) {
    FixedOrigin origin = FixedOrigin.of(uri);
    return new Backend(
        client,
        uri,
        origin,
        BackendTarget.of(guard, owner, origin),
        method,
        mapping,
        connectTimeoutMillis,
        timeoutMillis);
  }

  /**
   * The server one request to {@code options}' host may connect to, as the egress policy decides:
   * for integrations that send their own requests (functions) on the same path as {@link
   * BackendRelay}. Fails with the {@link dev.turnpike.gateway.response.GatewayFailure} to answer.
   */
  public Future<SocketAddress> admit(RequestOptions options, LogContext log) {
    SocketAddress fixed = target.fixedServer();
    return fixed != null ? Future.succeededFuture(fixed) : target.admit(options, log);
  }

  /** Options for one backend request to {@code target}, with the client's method as fallback. */
  RequestOptions requestTo(String target, HttpMethod clientMethod) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method == null ? clientMethod : method)
            .setConnectTimeout(connectTimeoutMillis)
            .setIdleTimeout(timeoutMillis)
            // A redirect goes back to the client as it is: following it would reach an address
            // the egress policy never judged.
            .setFollowRedirects(false);
    if (upstream != null) {
      return options.setURI(upstreamPath(target));
    }
    String requestUri = origin == null ? null : origin.requestUri(target);
    return requestUri == null
        ? options.setAbsoluteURI(target)
        : origin.applyTo(options, requestUri);
  }

  /**
   * The path and query of an expanded {@code upstream://name/...} URI, which the target prefixes.
   */
  private static String upstreamPath(String target) {
    int from = UpstreamConfig.SCHEME.length();
    for (int i = from; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '/') {
        return target.substring(i);
      }
      if (c == '?') {
        return "/" + target.substring(i);
      }
    }
    return "/";
  }
}
