package dev.turnpike.testkit.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Keycloak's port comes from below the kernel's ephemeral range, and is free to bind. */
class QuietPortsTest {
  @Test
  void a_port_below_the_ephemeral_range_that_can_be_bound() throws Exception {
    for (int i = 0; i < 20; i++) {
      int port = QuietPorts.free();

      assertThat(port).isLessThan(QuietPorts.ephemeralLow()).isGreaterThanOrEqualTo(20_000);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
