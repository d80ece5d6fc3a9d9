package dev.turnpike.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Reads the host of a URL as the machine connecting to it would, so a check cannot be fooled by a
 * spelling: besides dotted quads and IPv6 ({@code [::1]}, {@code [::ffff:127.0.0.1]}), the C
 * library's {@code inet_aton} accepts decimal ({@code 2130706433}), octal ({@code 0177.0.0.1}), hex
 * ({@code 0x7f.0.0.1}) and short ({@code 127.1}) forms, and curl and browsers follow it.
 */
public final class HostLiteral {
  private HostLiteral() {}

  /**
   * The address {@code host} spells, or null when it is a name (to be resolved) or no address at
   * all. Brackets, one trailing dot and letter case are ignored.
   */
  public static InetAddress parse(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      return ipv6(h.substring(1, h.length() - 1));
    }
    if (h.indexOf(':') >= 0) {
      return ipv6(h);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return ipv4(h.toLowerCase(Locale.ROOT));
  }

  /** The host as a name is compared: without brackets or a trailing dot, in lower case. */
  public static String normalize(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      return h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static InetAddress ipv6(String text) {
    if (text.isEmpty() || text.indexOf(':') < 0) {
      return null;
    }
    int zone = text.indexOf('%');
    String address = zone < 0 ? text : text.substring(0, zone);
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      boolean allowed = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
      if (!allowed) {
        return null;
      }
    }
    try {
      // A literal (only hex digits, colons and dots here) is parsed, never looked up.
      return Addresses.bare(InetAddress.getByName(address).getAddress());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** inet_aton: 1 to 4 parts, the last filling the bytes left; each decimal, 0octal or 0xhex. */
  private static InetAddress ipv4(String text) {
    if (text.isEmpty() || !Character.isDigit(text.charAt(0))) {
      return null;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = number(parts[i]);
      if (values[i] < 0) {
        return null;
      }
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        return null;
      }
      address |= values[i] << (24 - 8 * i);
    }
    long last = values[parts.length - 1];
    int lastBits = 8 * (5 - parts.length);
    if (last >= (1L << lastBits)) {
      return null;
    }
    address |= last;
    return Addresses.bare(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        });
  }

  /** The part's value, or -1 when it is not a number inet_aton reads (or exceeds 32 bits). */
  private static long number(String part) {
    if (part.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x")) {
      radix = 16;
      digits = part.substring(2);
      if (digits.isEmpty()) {
        return 0; // inet_aton reads a bare "0x" as zero
      }
    } else if (part.length() > 1 && part.charAt(0) == '0') {
      radix = 8;
      digits = part.substring(1);
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = Character.digit(digits.charAt(i), radix);
      if (digit < 0) {
        return -1;
      }
      value = value * radix + digit;
      if (value > 0xffffffffL) {
        return -1;
      }
    }
    return value;
  }
}
