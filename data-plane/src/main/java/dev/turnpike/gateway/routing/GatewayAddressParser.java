package dev.turnpike.gateway.routing;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads the tenant, API and stage a request addresses from its Host header and path, in either of
 * the gateway's two styles:
 *
 * <ul>
 *   <li>host style: {@code {api}.{tenant}.{gateway-domain}} with path {@code /{stage}/{path...}};
 *   <li>path style, for any host outside the gateway domain (localhost, an IP address, a load
 *       balancer name) and for the gateway domain itself: {@code
 *       /{tenant}/{api}/{stage}/{path...}}.
 * </ul>
 *
 * <p>A host inside the gateway domain with other than two labels before it (e.g. {@code
 * x.gw.example.com} or {@code a.b.c.gw.example.com}) addresses no API, rather than falling back to
 * path style, so a mistyped API host cannot reach another tenant's API by its path. Host labels are
 * lower-cased (DNS names are case-insensitive); path segments are taken as sent.
 */
public final class GatewayAddressParser {

  private final String domain;
  private final String dottedDomain;

  /**
   * @param gatewayDomain the domain API hosts live under, e.g. {@code gw.example.com}
   * @throws IllegalArgumentException if the domain is blank
   */
  public GatewayAddressParser(String gatewayDomain) {
    String normalized = normalizeDomain(gatewayDomain);
    this.domain = normalized;
    this.dottedDomain = "." + normalized;
  }

  /** The normalized gateway domain, e.g. {@code gw.example.com}. */
  public String gatewayDomain() {
    return domain;
  }

  /**
   * @param host the Host header (or HTTP/2 :authority) value, possibly with a port; may be null
   * @param path the request path without the query string
   * @return the address, or empty if the request does not address a stage
   */
  public Optional<GatewayAddress> parse(String host, String path) {
    if (path == null || !path.startsWith("/")) {
      return Optional.empty();
    }
    String hostname = hostname(host);
    if (hostname.endsWith(dottedDomain)) {
      return parseHostStyle(hostname.substring(0, hostname.length() - dottedDomain.length()), path);
    }
    return parsePathStyle(path);
  }

  private static Optional<GatewayAddress> parseHostStyle(String labels, String path) {
    int dot = labels.indexOf('.');
    if (dot <= 0 || dot == labels.length() - 1 || labels.indexOf('.', dot + 1) >= 0) {
      return Optional.empty();
    }
    int stageEnd = segmentEnd(path, 1);
    if (stageEnd == 1) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayAddress(
            labels.substring(dot + 1),
            labels.substring(0, dot),
            path.substring(1, stageEnd),
            remainder(path, stageEnd)));
  }

  private static Optional<GatewayAddress> parsePathStyle(String path) {
    int tenantEnd = segmentEnd(path, 1);
    int apiEnd = segmentEnd(path, tenantEnd + 1);
    int stageEnd = segmentEnd(path, apiEnd + 1);
    if (tenantEnd == 1
        || tenantEnd == path.length()
        || apiEnd == tenantEnd + 1
        || apiEnd == path.length()
        || stageEnd == apiEnd + 1) {
      return Optional.empty();
    }
    return Optional.of(
        new GatewayAddress(
            path.substring(1, tenantEnd),
            path.substring(tenantEnd + 1, apiEnd),
            path.substring(apiEnd + 1, stageEnd),
            remainder(path, stageEnd)));
  }

  /** Strips the port and a trailing root dot, and lower-cases; an IPv6 literal never matches. */
  private String hostname(String host) {
    if (host == null || host.isEmpty() || host.charAt(0) == '[') {
      return "";
    }
    int colon = host.indexOf(':');
    int end = colon < 0 ? host.length() : colon;
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    // toLowerCase returns the same instance when nothing changes, so this usually allocates only
    // when a port is present.
    return host.substring(0, end).toLowerCase(Locale.ROOT);
  }

  private static int segmentEnd(String path, int from) {
    if (from > path.length()) {
      return path.length();
    }
    int slash = path.indexOf('/', from);
    return slash < 0 ? path.length() : slash;
  }

  private static String remainder(String path, int stageEnd) {
    return stageEnd == path.length() ? "/" : path.substring(stageEnd);
  }

  private static String normalizeDomain(String gatewayDomain) {
    String normalized = gatewayDomain == null ? "" : gatewayDomain.strip().toLowerCase(Locale.ROOT);
    while (normalized.startsWith(".")) {
      normalized = normalized.substring(1);
    }
    while (normalized.endsWith(".")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    if (normalized.isEmpty()) {
      throw new IllegalArgumentException(
          "Gateway domain must not be blank: '" + gatewayDomain + "'");
    }
    return normalized;
  }
}
