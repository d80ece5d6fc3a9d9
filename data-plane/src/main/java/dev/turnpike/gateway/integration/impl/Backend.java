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
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Where an HTTP integration sends its requests, fixed per deployment: the tenant's pool, the URI
 * template (and its origin, when that is literal), what the egress policy admits, the method (null
 * for the client's, API Gateway's ANY), the parameter mappings and the timeouts.
 *
 * @param tls the TLS options of an integration with its own CA, client certificate or verification
 *     setting, null for the client's defaults (public CAs, host name verified)
 * @param serverNameToVerify the name its backend's certificate must carry and the SNI sent, instead
 *     of the URI's host; null for that host
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
    ClientSSLOptions tls,
    String serverNameToVerify,
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
      long timeoutMillis,
      ClientSSLOptions tls,
      String serverNameToVerify) {
    this(
        client,
        uri,
        origin,
        target,
        method,
        mapping,
        connectTimeoutMillis,
        timeoutMillis,
        tls,
        serverNameToVerify,
        null);
  }

  /** A backend with the client's TLS defaults. */
  public Backend(
      HttpClient client,
      UriTemplate uri,
      FixedOrigin origin,
      BackendTarget target,
      HttpMethod method,
      ParameterMapping mapping,
      long connectTimeoutMillis,
      long timeoutMillis) {
    this(
        client,
        uri,
        origin,
        target,
        method,
        mapping,
        connectTimeoutMillis,
        timeoutMillis,
        null,
        null);
  }

  /**
   * A backend sending to {@code upstream}'s targets: the egress policy decides each target as it is
   * picked, so nothing is decided here. Every https target gets the integration's TLS options.
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
      ClientSSLOptions tls,
      String serverNameToVerify,
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
        tls,
        serverNameToVerify,
        upstream);
  }

  /** A backend of {@code owner}'s with the client's TLS defaults. */
  public static Backend of(
      HttpClient client,
      EgressGuard guard,
      IntegrationOwner owner,
      UriTemplate uri,
      HttpMethod method,
      ParameterMapping mapping,
      long connectTimeoutMillis,
      long timeoutMillis) {
    return of(
        client,
        guard,
        owner,
        uri,
        method,
        mapping,
        connectTimeoutMillis,
        timeoutMillis,
        null,
        null);
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
      long timeoutMillis,
      ClientSSLOptions tls,
      String serverNameToVerify) {
    FixedOrigin origin = FixedOrigin.of(uri);
    return new Backend(
        client,
        uri,
        origin,
        BackendTarget.of(guard, owner, origin),
        method,
        mapping,
        connectTimeoutMillis,
        timeoutMillis,
        tls,
        serverNameToVerify);
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
    RequestOptions to =
        requestUri == null ? options.setAbsoluteURI(target) : origin.applyTo(options, requestUri);
    if (tls != null && Boolean.TRUE.equals(to.isSsl())) {
      to.setSslOptions(tls);
      if (serverNameToVerify != null) {
        // The backend still sees the URI's host; only the handshake names the other server.
        to.putHeader(HttpHeaders.HOST, authority(to.getHost(), to.getPort()));
      }
    }
    return to;
  }

  /**
   * {@code options} sent to the server the egress policy admitted. With a name to verify, the
   * handshake names that server from here on: the policy has already judged the URI's host, and the
   * connection goes to the admitted address whatever the name says.
   */
  RequestOptions connectTo(RequestOptions options, SocketAddress server) {
    options.setServer(server);
    if (serverNameToVerify != null && tls != null && Boolean.TRUE.equals(options.isSsl())) {
      options.setHost(serverNameToVerify);
    }
    return options;
  }

  /**
   * {@code options} for one upstream target, its host, port, TLS flag and admitted server set: an
   * https target gets the integration's TLS options (the same for every target), and with a name to
   * verify the handshake names that server while the target still sees its own host.
   */
  RequestOptions toUpstreamTarget(RequestOptions options) {
    if (tls != null && Boolean.TRUE.equals(options.isSsl())) {
      options.setSslOptions(tls);
      if (serverNameToVerify != null) {
        options.putHeader(HttpHeaders.HOST, authority(options.getHost(), options.getPort()));
        options.setHost(serverNameToVerify);
      }
    }
    return options;
  }

  private static String authority(String host, int port) {
    String name = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return port == 443 ? name : name + ":" + port;
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
