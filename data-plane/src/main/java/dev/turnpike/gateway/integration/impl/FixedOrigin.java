package dev.turnpike.gateway.integration.impl;

import dev.turnpike.gateway.integration.UriTemplate;
import io.vertx.core.http.RequestOptions;

/**
 * The scheme, host and port of an integration URI whose authority is literal (no stage variable or
 * placeholder in it), resolved once per deployment. A request then needs only its path and query,
 * where {@link RequestOptions#setAbsoluteURI(String)} would parse a {@code java.net.URL} per
 * request; the values are Vert.x's own, taken from parsing the origin once.
 */
public final class FixedOrigin {
  private final String prefix;
  private final String host;
  private final int port;
  private final boolean ssl;

  private FixedOrigin(String prefix, RequestOptions parsed) {
    this.prefix = prefix;
    this.host = parsed.getHost();
    this.port = parsed.getPort();
    this.ssl = Boolean.TRUE.equals(parsed.isSsl());
  }

  /** The template's fixed origin, or null if its authority is not literal or does not parse. */
  public static FixedOrigin of(UriTemplate uri) {
    String source = uri.toString();
    int scheme = source.indexOf("://");
    if (scheme <= 0) {
      return null;
    }
    int end = source.length();
    for (int i = scheme + 3; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
      if (c == '$' || c == '{' || c == '}') {
        return null;
      }
    }
    String prefix = source.substring(0, end);
    if (prefix.indexOf('$') >= 0 || prefix.indexOf('{') >= 0) {
      return null;
    }
    try {
      return new FixedOrigin(prefix, new RequestOptions().setAbsoluteURI(prefix));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * What {@link RequestOptions#setAbsoluteURI(String)} would take as the request URI of {@code
   * target}, or null if {@code target} is not under this origin plainly (then the caller parses
   * it).
   */
  String requestUri(String target) {
    if (!target.startsWith(prefix)) {
      return null;
    }
    int from = prefix.length();
    if (target.indexOf('#', from) >= 0) {
      // java.net.URL would drop the fragment; leave such targets to it.
      return null;
    }
    if (from < target.length() && target.charAt(from) == '/') {
      return target.substring(from);
    }
    if (from < target.length() && target.charAt(from) != '?') {
      return null;
    }
    return "/" + target.substring(from);
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  RequestOptions applyTo(RequestOptions options, String requestUri) {
    return options.setHost(host).setPort(port).setSsl(ssl).setURI(requestUri);
  }
}
