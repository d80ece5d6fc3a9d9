package dev.turnpike.gateway.node;

import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * The Netty transport a node's event loops run on ({@code TURNPIKE_GATEWAY_TRANSPORT}): the JDK's
 * NIO selector, Linux epoll or Linux io_uring. The native ones ship in the node's jars (Linux
 * x86_64); a native transport the machine cannot run (another CPU, a kernel without io_uring or
 * with it disabled by {@code kernel.io_uring_disabled}, a seccomp profile that blocks its system
 * calls) stops the node at start with the reason, rather than running on another transport than the
 * one asked for.
 *
 * <p>The default stays nio though io_uring took 40-55% less CPU per request in the bench
 * (infra/bench/README.md, "Event-loop transport"): those runs were on a loaded machine, and a quiet
 * one with a machine-wide CPU count should confirm it first.
 */
public enum EventLoopTransport {
  NIO("nio"),
  EPOLL("epoll"),
  IO_URING("io_uring");

  /** The setting's values, in the order the docs list them. */
  public static final List<String> NAMES = List.of("nio", "epoll", "io_uring");

  private final String setting;

  EventLoopTransport(String setting) {
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }

  /** The transport named by the setting's value (one of {@link #NAMES}). */
  public static EventLoopTransport named(String value) {
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (EventLoopTransport transport : values()) {
      if (transport.setting.equals(name)) {
        return transport;
      }
    }
    throw new IllegalArgumentException("unknown transport '" + value + "'; known: " + NAMES);
  }

  /**
   * Why this transport cannot run here, or null when it can. Loading a native transport loads its
   * library, so this is asked once, at start.
   */
  public String unavailability() {
    Transport transport = vertxTransportOrNull();
    if (transport == null) {
      return "its classes are not on the classpath";
    }
    if (transport.available()) {
      return null;
    }
    Throwable cause = transport.unavailabilityCause();
    return cause == null ? "not available on this machine" : String.valueOf(cause);
  }

  /** Vert.x's transport for this one; only for a transport that {@link #unavailability} allows. */
  public Transport vertxTransport() {
    String why = unavailability();
    if (why != null) {
      throw new IllegalStateException(
          "TURNPIKE_GATEWAY_TRANSPORT=" + setting + " cannot run here: " + why);
    }
    return vertxTransportOrNull();
  }

  private Transport vertxTransportOrNull() {
    return switch (this) {
      case NIO -> Transport.NIO;
      case EPOLL -> Transport.EPOLL;
      case IO_URING -> Transport.IO_URING;
    };
  }
}
