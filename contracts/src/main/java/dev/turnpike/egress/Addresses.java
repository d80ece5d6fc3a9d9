package dev.turnpike.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Byte-level helpers on addresses, shared by the classification and the rules. */
final class Addresses {
  /** fd00:ec2::254, the AWS instance metadata service over IPv6 (Nitro). */
  static final byte[] AWS_METADATA_V6 = HostLiteral.parse("fd00:ec2::254").getAddress();

  private Addresses() {}

  /**
   * The IPv4 address an IPv6 one carries, where connecting to it reaches that IPv4 address:
   * IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}), the NAT64 well-known
   * prefix ({@code 64:ff9b::a.b.c.d}) and 6to4 ({@code 2002:AABB:CCDD::}). Any other address is
   * returned as it is.
   */
  static InetAddress canonical(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return ipv4(b, 12);
    }
    if (isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] & 0xff) <= 1)) {
      return ipv4(b, 12);
    }
    if (b[0] == 0
        && b[1] == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && isZero(b, 4, 12)) {
      return ipv4(b, 12);
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return ipv4(b, 2);
    }
    return address;
  }

  /** Whether {@code bytes[from..to)} are all zero. */
  static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static boolean sameBytes(byte[] a, byte[] b) {
    return java.util.Arrays.equals(a, b);
  }

  /** The address alone, without a host name or scope that would change how it prints. */
  static InetAddress bare(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address of 4 or 16 bytes", e);
    }
  }

  private static Inet4Address ipv4(byte[] bytes, int from) {
    return (Inet4Address) bare(java.util.Arrays.copyOfRange(bytes, from, from + 4));
  }
}
