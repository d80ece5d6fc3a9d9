package dev.turnpike.gateway.integration;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/** Headers that describe one connection and must not be forwarded by a proxy (RFC 9110 7.6.1). */
public final class HopByHopHeaders {
  private static final Set<String> ALWAYS =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "http2-settings");

  private HopByHopHeaders() {}

  /** Copies {@code from} into {@code to} minus hop-by-hop headers and those Connection names. */
  public static void copyEndToEnd(MultiMap from, MultiMap to) {
    String connection = from.get("connection");
    for (var header : from) {
      String name = header.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (ALWAYS.contains(lower) || lower.startsWith(":") || listedIn(connection, lower)) {
        continue;
      }
      to.add(name, header.getValue());
    }
  }

  private static boolean listedIn(String connection, String lowerName) {
    if (connection == null) {
      return false;
    }
    for (String token : connection.split(",")) {
      if (token.trim().equalsIgnoreCase(lowerName)) {
        return true;
      }
    }
    return false;
  }
}
