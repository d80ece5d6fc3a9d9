package dev.turnpike.gateway.routing;

/**
 * The rule that keeps a backend path where its route put it: no dot segments and no control
 * characters, however they are spelled.
 *
 * <p>A path segment is a dot segment when the part of it before any ';' is "." or "..". Segments
 * are split at '/' and '\' whether written plainly or percent-encoded, and dots count whether plain
 * or encoded in any case mix, so {@code ..}, {@code %2e%2E}, {@code .%2e}, {@code a%2F..%2Fb},
 * {@code ..%5C} and {@code ..;x} are all dot segments. The ';' form matters because servlet
 * containers drop ";params" before resolving dots; the '\' form because some servers treat it as a
 * separator. Control characters (U+0000-U+001F, U+007F), plain or encoded, are refused too: a NUL
 * truncates paths in some backends and CR/LF have no business in one.
 *
 * <p>One pass over the characters, no allocation: it runs on every request.
 */
public final class PathSafety {
  /** The client-safe message for a path with a dot segment. */
  public static final String DOT_SEGMENT =
      "Invalid request path: '.' and '..' segments are not allowed";

  /** The client-safe message for a path with a control character. */
  public static final String CONTROL_CHARACTER =
      "Invalid request path: control characters are not allowed";

  private static final int NOT_ONLY_DOTS = -1;

  private PathSafety() {}

  /**
   * @param rawPath a request path as received, still percent-encoded
   * @return why the path is refused, or null when it is safe to route
   */
  public static String problem(String rawPath) {
    return scan(rawPath, true);
  }

  /**
   * @param value decoded text about to become one or more segments of a backend path
   * @return why it may not, or null when it may
   */
  public static String valueProblem(String value) {
    return scan(value, false);
  }

  private static String scan(String text, boolean percentEncoded) {
    int length = text.length();
    // Per segment: how many dots its name (the part before ';') holds, or NOT_ONLY_DOTS.
    int dots = 0;
    boolean pastName = false;
    for (int i = 0; i < length; i++) {
      int c = text.charAt(i);
      if (c == '%' && percentEncoded && i + 2 < length) {
        int escaped = escapedByte(text.charAt(i + 1), text.charAt(i + 2));
        if (escaped >= 0) {
          c = escaped;
          i += 2;
        }
      }
      if (c < 0x20 || c == 0x7F) {
        return CONTROL_CHARACTER;
      }
      if (c == '/' || c == '\\') {
        if (dots == 1 || dots == 2) {
          return DOT_SEGMENT;
        }
        dots = 0;
        pastName = false;
      } else if (c == ';') {
        pastName = true;
      } else if (!pastName && dots != NOT_ONLY_DOTS) {
        dots = c == '.' ? dots + 1 : NOT_ONLY_DOTS;
      }
    }
    return dots == 1 || dots == 2 ? DOT_SEGMENT : null;
  }

  /** The byte a {@code %XY} escape stands for, or -1 when X or Y is not a hex digit. */
  private static int escapedByte(char high, char low) {
    int h = PercentDecoder.hexValue(high);
    int l = PercentDecoder.hexValue(low);
    return h < 0 || l < 0 ? -1 : h << 4 | l;
  }
}
