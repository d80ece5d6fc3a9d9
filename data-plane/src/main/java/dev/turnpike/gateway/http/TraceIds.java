package dev.turnpike.gateway.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * The trace id a request carries, for its log lines: W3C {@code traceparent}'s trace-id, else the
 * {@code Root} of {@code X-Amzn-Trace-Id}. The client writes these headers, so only a value of the
 * standard's exact shape is taken; anything else is no trace id rather than text in the log.
 */
final class TraceIds {
  private TraceIds() {}

  /** The trace id, or null when the request carries none of a valid shape. */
  static String of(HttpServerRequest request) {
    String w3c = fromTraceparent(request.getHeader("traceparent"));
    return w3c != null ? w3c : fromAmazon(request.getHeader("X-Amzn-Trace-Id"));
  }

  /** {@code version-traceid-parentid-flags}: 2, 32 and 16 lower-case hex digits, then 2. */
  static String fromTraceparent(String header) {
    if (header == null || header.length() < 55 || header.charAt(2) != '-') {
      return null;
    }
    String traceId = header.substring(3, 35);
    boolean allZero = traceId.chars().allMatch(c -> c == '0');
    return header.charAt(35) == '-' && isHex(traceId) && !allZero ? traceId : null;
  }

  /** {@code Root=1-<8 hex>-<24 hex>} among {@code ;}-separated fields. */
  static String fromAmazon(String header) {
    if (header == null) {
      return null;
    }
    for (String field : header.split(";", 8)) {
      String value = field.strip();
      if (value.startsWith("Root=")) {
        String root = value.substring(5);
        boolean shaped =
            root.length() == 35
                && root.startsWith("1-")
                && root.charAt(10) == '-'
                && isHex(root.substring(2, 10))
                && isHex(root.substring(11));
        return shaped ? root : null;
      }
    }
    return null;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
