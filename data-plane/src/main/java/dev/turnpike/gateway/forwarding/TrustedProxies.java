package dev.turnpike.gateway.forwarding;

import dev.turnpike.egress.Cidr;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The front proxies (load balancers, CDNs) an operator trusts to say who the client is, as CIDR
 * blocks. Only a peer inside one of them may pass {@code Forwarded} / {@code X-Forwarded-*} on to
 * backends; everyone else's are dropped. Addresses are parsed as literals only, never resolved, so
 * a check costs no I/O on the event loop. Blocks are read as the egress policy reads its CIDRs
 * ({@link Cidr}: a block with bits set beyond its prefix is refused as a likely typo); a peer's
 * IPv4-mapped IPv6 address counts as the IPv4 address it carries.
 */
public final class TrustedProxies {
  private static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Cidr> blocks;

  private TrustedProxies(List<Cidr> blocks) {
    this.blocks = blocks;
  }

  /** Trusts nobody: the default. */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * @param cidrs blocks such as {@code 10.0.0.0/8}, {@code 192.168.1.7} or {@code fd00::/8}
   * @throws IllegalArgumentException naming the first entry that is not an IP address or CIDR
   */
  public static TrustedProxies of(List<String> cidrs) {
    List<Cidr> blocks = new ArrayList<>();
    for (String cidr : cidrs) {
      blocks.add(block(cidr.strip()));
    }
    return blocks.isEmpty() ? NONE : new TrustedProxies(List.copyOf(blocks));
  }

  private static Cidr block(String cidr) {
    try {
      return Cidr.parse(cidr);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trusted proxy '" + cidr + "': " + e.getMessage(), e);
    }
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether {@code address} (an IP literal) lies in a trusted block; false for anything else. */
  public boolean trusts(String address) {
    if (blocks.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bytes of an IPv4 or IPv6 literal, an IPv4-mapped IPv6 address as IPv4; null for anything
   * else, host names included.
   */
  static byte[] literal(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
  }
}
