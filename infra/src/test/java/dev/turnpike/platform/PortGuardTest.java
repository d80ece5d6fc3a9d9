package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.platform.PortGuard.NamedPort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortGuardTest {
  @Test
  void a_port_in_use_is_named_with_what_needs_it() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> PortGuard.requireFree(List.of(new NamedPort(port, "control plane"))))
          .isInstanceOf(PlatformException.class)
          .hasMessageStartingWith("port " + port + " (control plane) is already in use")
          .hasMessageContaining("infra/README.md");
    }
  }

  @Test
  void free_ports_pass() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    assertThatCode(() -> PortGuard.requireFree(List.of(new NamedPort(port, "gateway"))))
        .doesNotThrowAnyException();
  }

  @Test
  void one_port_configured_for_two_servers_is_refused() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                PortGuard.requireFree(
                    List.of(new NamedPort(port, "portal"), new NamedPort(port, "metering admin"))))
        .hasMessageContaining("port " + port + " is configured for both portal and metering admin");
  }
}
