package dev.turnpike.gateway.routing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes percent-encoded path text. Unlike {@link java.net.URLDecoder} it keeps '+' as is (the
 * plus-for-space rule belongs to form bodies and query strings, not paths) and reports malformed
 * input instead of throwing or substituting replacement characters.
 */
final class PercentDecoder {

  private PercentDecoder() {}

  /**
   * Decodes {@code text[from, to)}.
   *
   * @return the decoded text, or null when a '%' is not followed by two hex digits or the decoded
   *     bytes are not valid UTF-8 (null rather than an exception because the input is attacker
   *     controlled and sits on the request path)
   */
  static String decode(String text, int from, int to) {
    int firstPercent = text.indexOf('%', from);
    if (firstPercent < 0 || firstPercent >= to) {
      return text.substring(from, to);
    }
    StringBuilder decoded = new StringBuilder(to - from).append(text, from, firstPercent);
    byte[] bytes = new byte[(to - firstPercent) / 3];
    int i = firstPercent;
    while (i < to) {
      if (text.charAt(i) != '%') {
        decoded.append(text.charAt(i++));
        continue;
      }
      // A multi-byte character is a run of consecutive %XX escapes, so decode whole runs.
      int byteCount = 0;
      while (i < to && text.charAt(i) == '%') {
        if (i + 2 >= to) {
          return null;
        }
        int high = hexValue(text.charAt(i + 1));
        int low = hexValue(text.charAt(i + 2));
        if (high < 0 || low < 0) {
          return null;
        }
        bytes[byteCount++] = (byte) (high << 4 | low);
        i += 3;
      }
      if (!appendUtf8(bytes, byteCount, decoded)) {
        return null;
      }
    }
    return decoded.toString();
  }

  private static boolean appendUtf8(byte[] bytes, int length, StringBuilder target) {
    // A fresh decoder reports malformed input by default; String's constructor would silently
    // substitute U+FFFD instead.
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    try {
      target.append(utf8.decode(ByteBuffer.wrap(bytes, 0, length)));
      return true;
    } catch (CharacterCodingException malformed) {
      return false;
    }
  }

  /** Only ASCII hex digits: {@link Character#digit} would also accept non-ASCII digits. */
  static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
