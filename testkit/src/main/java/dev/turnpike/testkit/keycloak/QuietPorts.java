package dev.turnpike.testkit.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port for a server that must be told its port before it binds it, as Keycloak must
 * (its issuer URL names the port) and then binds it some 15 seconds later. A port the kernel hands
 * out for {@code port 0} lies in its ephemeral range, from which every outgoing connection on the
 * machine also takes its local port, so in those seconds another process's connection could take it
 * (a CI run saw Keycloak fail with "Port already bound"). A port below that range is never handed
 * out on its own: only a process that names it can take it.
 */
final class QuietPorts {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** Linux's default ephemeral range starts here; used where the kernel does not say. */
  private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

  /** Above the ports well-known services and the platform's own defaults (8080–9xxx) use. */
  private static final int LOWEST = 20_000;

  private QuietPorts() {}

  /** A port below the ephemeral range that was free a moment ago. */
  static int free() {
    int high = ephemeralLow() - 1;
    if (high <= LOWEST) {
      return anyFree();
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, high + 1);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // Someone named this one: try another.
      }
    }
    return anyFree();
  }

  static int ephemeralLow() {
    try {
      // readAllLines, not readString: /proc files claim a size of 0, and readString then stops
      // after its first read (it returned "3" of "32768 60999" here).
      String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }

  private static int anyFree() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for Keycloak", e);
    }
  }
}
