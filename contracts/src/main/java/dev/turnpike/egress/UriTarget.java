package dev.turnpike.egress;

import java.util.Locale;

/**
 * The host and port an integration URI template connects to, read from its text as {@code
 * java.net.URL} reads an authority (the part after the last {@code @}), where they are literal: a
 * stage variable or a {@code {placeholder}} leaves them to the gateway, which checks the address it
 * connects to.
 *
 * @param port the port, or {@link AllowRule#ANY_PORT} when a placeholder gives it
 */
public record UriTarget(String host, int port) {

  /** The literal target of {@code uri}, or null when its host is not literal or it has none. */
  public static UriTarget of(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme <= 0) {
      return null;
    }
    String schemeName = uri.substring(0, scheme).toLowerCase(Locale.ROOT);
    int end = uri.length();
    for (int i = scheme + 3; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = uri.substring(scheme + 3, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      port = rest.startsWith(":") ? rest.substring(1) : null;
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
    }
    if (host.isEmpty() || placeholder(host)) {
      return null;
    }
    if (port == null || port.isEmpty()) {
      return new UriTarget(host, schemeName.equals("https") ? 443 : 80);
    }
    if (placeholder(port)) {
      return new UriTarget(host, AllowRule.ANY_PORT);
    }
    if (!port.matches("\\d{1,5}")) {
      return null;
    }
    return new UriTarget(host, Integer.parseInt(port));
  }

  private static boolean placeholder(String text) {
    return text.indexOf('$') >= 0 || text.indexOf('{') >= 0 || text.indexOf('}') >= 0;
  }

  /**
   * What the policy says of this target for {@code tenantId} without a lookup: null for a host name
   * only its resolved address can judge.
   */
  public EgressDecision check(EgressPolicy policy, String tenantId) {
    return policy.checkHost(tenantId, host, port);
  }
}
