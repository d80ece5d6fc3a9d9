package dev.turnpike.gateway.integration;

import io.vertx.core.MultiMap;

/**
 * Headers that describe one connection and must not be forwarded by a proxy (RFC 9110 7.6.1).
 *
 * <p>Runs twice per proxied request (request and response headers), so names are compared in place,
 * ignoring case, without lower-casing copies, a set lookup or splitting the Connection header.
 */
public final class HopByHopHeaders {
  private HopByHopHeaders() {}

  /** Copies {@code from} into {@code to} minus hop-by-hop headers and those Connection names. */
  public static void copyEndToEnd(MultiMap from, MultiMap to) {
    copyEndToEnd(from, to, false);
  }

  /**
   * As {@link #copyEndToEnd(MultiMap, MultiMap)}, and also without the client's own {@code
   * Forwarded}, {@code X-Forwarded-*} and {@code X-Real-IP} when {@code dropForwarding}: what a
   * client that is not a trusted proxy says about itself there must not reach a backend.
   */
  public static void copyEndToEnd(MultiMap from, MultiMap to, boolean dropForwarding) {
    String connection = from.get("connection");
    from.forEach(
        (name, value) -> {
          if (!isHopByHop(name)
              && !listedIn(connection, name)
              && !(dropForwarding && isForwarding(name))
              && isWellFormed(name, value)) {
            to.add(name, value);
          }
        });
  }

  /**
   * A field the client's decoder let through but a stricter backend parser may read differently (a
   * name that is not an RFC 9110 token, a value with a control character) is not passed on: two
   * parsers disagreeing about a request is how requests get smuggled.
   */
  public static boolean isWellFormed(String name, String value) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c > 0x7E || c <= ' ' || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** forwarded, x-forwarded-*, x-real-ip. */
  static boolean isForwarding(String name) {
    return name.regionMatches(true, 0, "x-forwarded-", 0, 12)
        || name.equalsIgnoreCase("forwarded")
        || name.equalsIgnoreCase("x-real-ip");
  }

  /**
   * connection, keep-alive, proxy-authenticate, proxy-authorization, proxy-connection, te, trailer,
   * transfer-encoding, upgrade, host, http2-settings, and HTTP/2 pseudo-headers.
   */
  public static boolean isHopByHop(String name) {
    return switch (name.length()) {
          case 2 -> name.equalsIgnoreCase("te");
          case 4 -> name.equalsIgnoreCase("host");
          case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
          case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
          case 14 -> name.equalsIgnoreCase("http2-settings");
          case 16 -> name.equalsIgnoreCase("proxy-connection");
          case 17 -> name.equalsIgnoreCase("transfer-encoding");
          case 18 -> name.equalsIgnoreCase("proxy-authenticate");
          case 19 -> name.equalsIgnoreCase("proxy-authorization");
          default -> false;
        }
        || name.startsWith(":");
  }

  /** Whether {@code name} is one of the comma-separated tokens of a Connection header value. */
  static boolean listedIn(String connection, String name) {
    if (connection == null) {
      return false;
    }
    int length = connection.length();
    int start = 0;
    while (start <= length) {
      int comma = connection.indexOf(',', start);
      int end = comma < 0 ? length : comma;
      int tokenStart = start;
      int tokenEnd = end;
      while (tokenStart < tokenEnd && isWhitespace(connection.charAt(tokenStart))) {
        tokenStart++;
      }
      while (tokenEnd > tokenStart && isWhitespace(connection.charAt(tokenEnd - 1))) {
        tokenEnd--;
      }
      if (tokenEnd - tokenStart == name.length()
          && connection.regionMatches(true, tokenStart, name, 0, name.length())) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      start = comma + 1;
    }
    return false;
  }

  /** What {@link String#trim()} strips. */
  private static boolean isWhitespace(char c) {
    return c <= ' ';
  }
}
