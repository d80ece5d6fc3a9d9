package dev.turnpike.gateway.sourceip;

import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.egress.Cidr;
import io.netty.util.NetUtil;
import java.util.List;

/**
 * A stage's resource policy on the caller's source address, compiled at deploy time into flat
 * arrays of masks: checking an IPv4 caller parses its address in place and allocates nothing. Deny
 * wins over allow; with allow rules present, an address outside them is refused. An IPv4-mapped
 * IPv6 address ({@code ::ffff:192.0.2.1}) is checked as the IPv4 address it carries, so a client
 * reaching a dual-stack listener cannot slip past IPv4 rules. Anything that is no IP literal is
 * refused: a policy fails closed. Immutable, shared by every event loop.
 */
public final class SourceAddressRules {
  private static final int[] NO_V4 = new int[0];
  private static final long[] NO_V6 = new long[0];

  /** Pairs of (network, mask). */
  private final int[] allow4;

  private final int[] deny4;

  /** Quads of (network high, network low, mask high, mask low). */
  private final long[] allow6;

  private final long[] deny6;
  private final boolean allowListed;

  private SourceAddressRules(List<Cidr> allow, List<Cidr> deny) {
    this.allow4 = v4(allow);
    this.allow6 = v6(allow);
    this.deny4 = v4(deny);
    this.deny6 = v6(deny);
    this.allowListed = !allow.isEmpty();
  }

  /**
   * The rules of {@code policy}; null when it has none, so a stage without a policy pays nothing.
   *
   * @throws IllegalArgumentException naming a bad entry (the control plane refuses them before)
   */
  public static SourceAddressRules compile(SourceIpPolicy policy) {
    if (policy == null || policy.isEmpty()) {
      return null;
    }
    String problem = policy.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new SourceAddressRules(policy.allowBlocks(), policy.denyBlocks());
  }

  /** Whether a caller at {@code address} (an IPv4 or IPv6 literal) may call the stage. */
  public boolean admits(String address) {
    if (address == null) {
      return false;
    }
    long v4 = ipv4(address);
    if (v4 >= 0) {
      return admits4((int) v4);
    }
    if (address.indexOf(':') < 0) {
      return false;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return false;
    }
    if (bytes.length == 4) {
      return admits4(toInt(bytes, 0));
    }
    if (isIpv4Mapped(bytes)) {
      return admits4(toInt(bytes, 12));
    }
    return admits6(toLong(bytes, 0), toLong(bytes, 8));
  }

  private boolean admits4(int address) {
    if (in4(deny4, address)) {
      return false;
    }
    return !allowListed || in4(allow4, address);
  }

  private boolean admits6(long high, long low) {
    if (in6(deny6, high, low)) {
      return false;
    }
    return !allowListed || in6(allow6, high, low);
  }

  private static boolean in4(int[] blocks, int address) {
    for (int i = 0; i < blocks.length; i += 2) {
      if ((address & blocks[i + 1]) == blocks[i]) {
        return true;
      }
    }
    return false;
  }

  private static boolean in6(long[] blocks, long high, long low) {
    for (int i = 0; i < blocks.length; i += 4) {
      if ((high & blocks[i + 2]) == blocks[i] && (low & blocks[i + 3]) == blocks[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** A dotted quad as an unsigned value, or -1 when {@code text} is not one; allocates nothing. */
  static long ipv4(String text) {
    int length = text.length();
    if (length < 7 || length > 15) {
      return -1;
    }
    long value = 0;
    int octet = 0;
    int digits = 0;
    int dots = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits > 0 && octet == 0) {
          return -1; // a leading zero: 010 reads as octal to some parsers
        }
        octet = octet * 10 + (c - '0');
        digits++;
        if (octet > 255) {
          return -1;
        }
      } else if (c == '.' && digits > 0 && dots < 3) {
        value = (value << 8) | octet;
        octet = 0;
        digits = 0;
        dots++;
      } else {
        return -1;
      }
    }
    if (dots != 3 || digits == 0) {
      return -1;
    }
    return (value << 8) | octet;
  }

  private static int[] v4(List<Cidr> blocks) {
    int count = 0;
    for (Cidr block : blocks) {
      count += block.networkBytes().length == 4 ? 1 : 0;
    }
    if (count == 0) {
      return NO_V4;
    }
    int[] compiled = new int[count * 2];
    int at = 0;
    for (Cidr block : blocks) {
      byte[] network = block.networkBytes();
      if (network.length == 4) {
        int prefix = block.prefixLength();
        compiled[at++] = toInt(network, 0);
        compiled[at++] = prefix == 0 ? 0 : -1 << (32 - prefix);
      }
    }
    return compiled;
  }

  private static long[] v6(List<Cidr> blocks) {
    int count = 0;
    for (Cidr block : blocks) {
      count += block.networkBytes().length == 16 ? 1 : 0;
    }
    if (count == 0) {
      return NO_V6;
    }
    long[] compiled = new long[count * 4];
    int at = 0;
    for (Cidr block : blocks) {
      byte[] network = block.networkBytes();
      if (network.length == 16) {
        int prefix = block.prefixLength();
        compiled[at++] = toLong(network, 0);
        compiled[at++] = toLong(network, 8);
        compiled[at++] = mask64(prefix);
        compiled[at++] = mask64(prefix - 64);
      }
    }
    return compiled;
  }

  private static long mask64(int bits) {
    if (bits <= 0) {
      return 0;
    }
    return bits >= 64 ? -1L : -1L << (64 - bits);
  }

  private static int toInt(byte[] bytes, int from) {
    return (bytes[from] & 0xff) << 24
        | (bytes[from + 1] & 0xff) << 16
        | (bytes[from + 2] & 0xff) << 8
        | (bytes[from + 3] & 0xff);
  }

  private static long toLong(byte[] bytes, int from) {
    long value = 0;
    for (int i = from; i < from + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
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
