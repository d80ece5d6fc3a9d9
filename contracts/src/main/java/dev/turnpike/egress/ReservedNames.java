package dev.turnpike.egress;

import java.net.InetAddress;
import java.util.Set;

/**
 * Host names whose address is known without a lookup: RFC 6761's {@code localhost} (and every name
 * under it) and the names clouds give their instance metadata service.
 */
final class ReservedNames {
  private static final InetAddress LOOPBACK = HostLiteral.parse("127.0.0.1");
  private static final InetAddress METADATA = HostLiteral.parse("169.254.169.254");
  private static final Set<String> LOOPBACK_NAMES =
      Set.of("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback");
  private static final Set<String> METADATA_NAMES =
      Set.of(
          "metadata",
          "metadata.google.internal",
          "metadata.goog",
          "instance-data",
          "instance-data.ec2.internal");

  private ReservedNames() {}

  /** The address {@code name} (normalized) always stands for, or null. */
  static InetAddress addressOf(String name) {
    if (LOOPBACK_NAMES.contains(name) || name.endsWith(".localhost")) {
      return LOOPBACK;
    }
    return METADATA_NAMES.contains(name) ? METADATA : null;
  }
}
