package dev.turnpike.egress;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.regex.Pattern;

/** An address range in CIDR notation: {@code 10.1.0.0/16}, {@code fd12:3456::/48}. */
public final class Cidr {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Reads {@code address/prefix}, or a single address. Bits set beyond the prefix are refused
   * ({@code 10.1.2.3/16} is more likely a typo than a wish for 10.1.0.0/16).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    InetAddress address = address(addressText);
    byte[] bytes = address.getAddress();
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String prefixText = text.substring(slash + 1);
      if (!prefixText.matches("\\d{1,3}")) {
        throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
      }
      prefix = Integer.parseInt(prefixText);
      if (prefix > bits) {
        throw new IllegalArgumentException(
            "'" + text + "': the prefix length must be at most " + bits);
      }
    }
    byte[] masked = mask(bytes, prefix);
    if (!Arrays.equals(masked, bytes)) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' has address bits set beyond its prefix; did you mean "
              + Addresses.bare(masked).getHostAddress()
              + "/"
              + prefix
              + "?");
    }
    return new Cidr(bytes, prefix);
  }

  private static InetAddress address(String text) {
    if (text.indexOf(':') >= 0) {
      InetAddress v6 = HostLiteral.parse(text);
      if (v6 != null && text.indexOf('%') < 0) {
        return v6;
      }
    } else if (DOTTED_QUAD.matcher(text).matches()) {
      return HostLiteral.parse(text);
    }
    throw new IllegalArgumentException("'" + text + "' is not an IPv4 (a.b.c.d) or IPv6 address");
  }

  /** The number of leading bits every address in the range shares with its network address. */
  public int prefixLength() {
    return prefix;
  }

  /** The network address's bytes (4 for IPv4, 16 for IPv6), a copy. */
  public byte[] networkBytes() {
    return network.clone();
  }

  /** Whether the range holds one address only: {@code 10.1.2.3}, {@code 10.1.2.3/32}. */
  public boolean singleAddress() {
    return prefix == network.length * 8;
  }

  /** Whether {@code address} is in the range; IPv4 and IPv6 ranges hold only their own family. */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /**
   * Whether the address of these bytes (4 for IPv4, 16 for IPv6) is in the range. Allocates
   * nothing, so a check per request costs only the comparison.
   */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int restBits = prefix % 8;
    if (restBits == 0) {
      return true;
    }
    int keep = 0xff00 >> restBits;
    return ((address[fullBytes] ^ network[fullBytes]) & keep & 0xff) == 0;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.clamp(prefix - 8L * i, 0, 8);
      masked[i] = (byte) (masked[i] & (0xff00 >> keep));
    }
    return masked;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that
        && prefix == that.prefix
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    String address = Addresses.bare(network).getHostAddress();
    return address + "/" + prefix;
  }
}
