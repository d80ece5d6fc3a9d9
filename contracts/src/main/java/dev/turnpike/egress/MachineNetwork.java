package dev.turnpike.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What building a policy needs from the machine: what a listener's host name stands for, and the
 * machine's own addresses (a listener on {@code 0.0.0.0} answers on each). The only part of the
 * egress package that asks the operating system, once, at start.
 */
public interface MachineNetwork {
  /** The addresses {@code host} resolves to; empty when it does not resolve. */
  List<InetAddress> resolve(String host);

  /** Every address of this machine's interfaces. */
  Set<InetAddress> ownAddresses();

  /** The operating system's resolver and interfaces. Blocking: call at start, never on a loop. */
  MachineNetwork SYSTEM =
      new MachineNetwork() {
        @Override
        public List<InetAddress> resolve(String host) {
          try {
            return List.of(InetAddress.getAllByName(host));
          } catch (UnknownHostException e) {
            return List.of();
          }
        }

        @Override
        public Set<InetAddress> ownAddresses() {
          Set<InetAddress> own = new HashSet<>();
          try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
              own.addAll(Collections.list(nic.getInetAddresses()));
            }
          } catch (SocketException e) {
            // Without the list, wildcard listeners still match loopback: the common case.
          }
          return own;
        }
      };
}
