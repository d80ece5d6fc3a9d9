package dev.turnpike.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks before anything starts that every port the platform will listen on is free, so a port
 * taken by another program is reported by name at once instead of as a service dying half-way.
 */
public final class PortGuard {
  /** A port and what listens on it, for the message. */
  public record NamedPort(int port, String owner) {}

  private PortGuard() {}

  /**
   * @throws PlatformException naming each port in use and what needs it, for example {@code port
   *     8081 (control plane) is already in use}
   */
  public static void requireFree(List<NamedPort> ports) {
    List<String> problems = new ArrayList<>();
    Map<Integer, String> claimed = new HashMap<>();
    for (NamedPort named : ports) {
      String other = claimed.putIfAbsent(named.port(), named.owner());
      if (other != null) {
        problems.add(
            "port " + named.port() + " is configured for both " + other + " and " + named.owner());
      } else if (!isFree(named.port())) {
        problems.add("port " + named.port() + " (" + named.owner() + ") is already in use");
      }
    }
    if (!problems.isEmpty()) {
      throw new PlatformException(
          String.join("\n", problems)
              + "\nStop the program using it, or choose another port (see infra/README.md).");
    }
  }

  /**
   * Binds the wildcard address, which fails if anything listens on the port on any local address.
   */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
