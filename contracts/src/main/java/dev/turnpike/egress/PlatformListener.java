package dev.turnpike.egress;

import java.net.InetAddress;
import java.util.List;

/**
 * A port the platform itself listens on (the gateway's admin port, Keycloak, metering's billing
 * API...) with the addresses its host stood for when the policy was built. No tenant reaches it,
 * whatever the policy's mode or grants: these are the services a tenant must never call through the
 * gateway.
 *
 * @param addresses what the host resolved to; empty for a wildcard, or a name that did not resolve
 *     (then only the name itself matches)
 */
public record PlatformListener(HostPort listener, List<InetAddress> addresses) {
  public PlatformListener {
    addresses = addresses.stream().map(a -> Addresses.canonical(a)).toList();
  }

  /** A listener whose host is an address or a wildcard: nothing to resolve. */
  public static PlatformListener literal(HostPort listener) {
    InetAddress address = listener.wildcard() ? null : HostLiteral.parse(listener.host());
    return new PlatformListener(listener, address == null ? List.of() : List.of(address));
  }

  /**
   * Whether connecting to {@code address} (canonical) on {@code port} reaches this listener. A
   * loopback listener answers on every loopback address; a wildcard one on loopback and on every
   * address of the machine.
   */
  boolean reachedAt(InetAddress address, int port, java.util.Set<InetAddress> machineAddresses) {
    if (port != listener.port()) {
      return false;
    }
    AddressClass target = AddressClass.of(address);
    if (listener.wildcard()) {
      return target == AddressClass.LOOPBACK
          || target == AddressClass.UNSPECIFIED
          || machineAddresses.contains(address);
    }
    for (InetAddress own : addresses) {
      if (own.equals(address)
          || (target == AddressClass.LOOPBACK && AddressClass.of(own) == AddressClass.LOOPBACK)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code host} (normalized) on {@code port} names this listener. */
  boolean namedBy(String host, int port) {
    return port == listener.port() && host.equals(listener.host());
  }
}
