package dev.turnpike.egress;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What an address is, as far as reaching it on a tenant's behalf goes. Only {@link #PUBLIC} is
 * reachable by default; the others reach the platform's own network, the machine itself or the
 * cloud's metadata service, which no tenant may call through the gateway unless an operator grants
 * it.
 */
public enum AddressClass {
  PUBLIC("a public address"),
  LOOPBACK("a loopback address"),
  /** RFC 1918, carrier-grade NAT (100.64.0.0/10), benchmarking, IPv6 unique and site local. */
  PRIVATE("a private address"),
  LINK_LOCAL("a link-local address"),
  /** The cloud instance metadata services: credentials live there. */
  METADATA("a cloud instance metadata address"),
  MULTICAST("a multicast address"),
  /** 0.0.0.0/8 and {@code ::}: connecting to them reaches this machine. */
  UNSPECIFIED("an unspecified address"),
  /** Documentation, protocol-assignment and future-use ranges: nothing legitimate lives there. */
  RESERVED("a reserved address");

  private final String description;

  AddressClass(String description) {
    this.description = description;
  }

  /** A noun phrase for messages: "a loopback address". */
  public String description() {
    return description;
  }

  /** Whether the trial policy of a one-machine platform lets tenants reach such an address. */
  boolean trialAllows() {
    return this == LOOPBACK || this == PRIVATE;
  }

  /** Addresses that are never a backend: an operator's allow-list cannot admit them either. */
  boolean neverAllowed() {
    return this == UNSPECIFIED || this == MULTICAST;
  }

  /** The class of {@code address}; IPv4 embedded in IPv6 (mapped, NAT64, 6to4) counts as IPv4. */
  public static AddressClass of(InetAddress address) {
    InetAddress canonical = Addresses.canonical(address);
    byte[] bytes = canonical.getAddress();
    return canonical instanceof Inet4Address ? ofIpv4(bytes) : ofIpv6(bytes);
  }

  private static AddressClass ofIpv4(byte[] bytes) {
    int a = bytes[0] & 0xff;
    int b = bytes[1] & 0xff;
    int c = bytes[2] & 0xff;
    int d = bytes[3] & 0xff;
    if (a == 0) {
      return UNSPECIFIED;
    }
    if (a == 127) {
      return LOOPBACK;
    }
    if (a == 169 && b == 254) {
      // 169.254.169.254: AWS, GCP, Azure, OpenStack; 169.254.170.2: ECS task credentials.
      boolean metadata = (c == 169 && d == 254) || (c == 170 && d == 2);
      return metadata ? METADATA : LINK_LOCAL;
    }
    if (a == 100 && b == 100 && c == 100 && d == 200) {
      return METADATA; // Alibaba Cloud's, inside the carrier-grade NAT range
    }
    if (a == 10
        || (a == 172 && (b & 0xf0) == 16)
        || (a == 192 && b == 168)
        || (a == 100 && (b & 0xc0) == 64)
        || (a == 198 && (b & 0xfe) == 18)) {
      return PRIVATE;
    }
    if ((a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)) {
      return RESERVED;
    }
    if (a >= 224 && a <= 239) {
      return MULTICAST;
    }
    if (a >= 240) {
      return RESERVED; // includes the broadcast address 255.255.255.255
    }
    return PUBLIC;
  }

  private static AddressClass ofIpv6(byte[] bytes) {
    int first = bytes[0] & 0xff;
    int second = bytes[1] & 0xff;
    if (Addresses.isZero(bytes, 0, 15)) {
      int last = bytes[15] & 0xff;
      return last == 0 ? UNSPECIFIED : last == 1 ? LOOPBACK : RESERVED;
    }
    if (Addresses.sameBytes(bytes, Addresses.AWS_METADATA_V6)) {
      return METADATA;
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return LINK_LOCAL;
    }
    if ((first == 0xfe && (second & 0xc0) == 0xc0) || (first & 0xfe) == 0xfc) {
      return PRIVATE; // site local (deprecated) and unique local
    }
    if (first == 0xff) {
      return MULTICAST;
    }
    if (first == 0x00 && second == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b) {
      return PRIVATE; // 64:ff9b:1::/48, NAT64 for local use (the well-known /96 is unwrapped)
    }
    if (first == 0x20 && second == 0x01 && (bytes[2] & 0xff) == 0x0d && (bytes[3] & 0xff) == 0xb8) {
      return RESERVED; // documentation
    }
    // Only 2000::/3 is allocated for global unicast; the rest is reserved by IANA.
    return (first & 0xe0) == 0x20 ? PUBLIC : RESERVED;
  }
}
