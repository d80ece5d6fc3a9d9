package dev.turnpike.gateway.node;

import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * The Netty transport a node's event loops run on ({@code TURNPIKE_GATEWAY_TRANSPORT}): Linux
 * io_uring, Linux epoll or the JDK's NIO selector, or {@code auto} (the default), the first of
 * those the machine can run. The native ones ship in the node's jars (Linux x86_64).
 *
 * <p>Auto was the default once before and went back to nio when {@code HttpInputFuzzTest} got 114
 * of 3,600 answers as 504s on io_uring: not io_uring missing a backend's close, but a wrong {@code
 * assert} in Netty 4.2.12's io_uring that only test JVMs ({@code -ea}) run, which failed healthy
 * connections' writes when two channels of one loop queued gathering writes before a submit
 * (netty/netty#16307). Netty 4.2.18, which the build now takes, no longer fails there (and also
 * keeps a write's memory until the kernel is done with it, netty/netty#17238), so the tests run
 * io_uring with {@code -ea} as they run everything else ({@code TransportRelayTest}).
 *
 * <p>Why auto prefers io_uring: on the 2-core bench machine, quiet, in one run, io_uring took the
 * gateway's CPU per request from 58-68 us to 33-40 us and its requests/s from 0.55-0.65x nginx's to
 * 0.86-1.05x (infra/bench/README.md, "Event-loop transport"): fewer system calls per request, the
 * cost that dominated on NIO. Auto falls back because io_uring is often not there: a kernel before
 * 5.10, {@code kernel.io_uring_disabled}, and container runtimes' default seccomp profiles
 * (Docker's and containerd's block its system calls). A transport named explicitly that the machine
 * cannot run stops the node at start with the reason, rather than running on another one than asked
 * for.
 */
public enum EventLoopTransport {
  AUTO("auto"),
  NIO("nio"),
  EPOLL("epoll"),
  IO_URING("io_uring");

  /** The setting's values, in the order the docs list them. */
  public static final List<String> NAMES = List.of("auto", "nio", "epoll", "io_uring");

  /** What {@link #AUTO} tries, best first; NIO always runs. */
  private static final List<EventLoopTransport> PREFERENCE = List.of(IO_URING, EPOLL, NIO);

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
    if (this == AUTO) {
      return null;
    }
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

  /**
   * The transport this one runs on here: itself, or for {@link #AUTO} the first of io_uring, epoll
   * and nio that the machine can run. Loads native libraries: ask once, at start.
   */
  public EventLoopTransport resolved() {
    if (this != AUTO) {
      return this;
    }
    for (EventLoopTransport candidate : PREFERENCE) {
      if (candidate.unavailability() == null) {
        return candidate;
      }
    }
    return NIO;
  }

  /**
   * Why each transport {@link #AUTO} prefers to {@code chosen} cannot run here, for the log; empty
   * when all of them can (then {@code chosen} was named explicitly).
   */
  public static String passedOver(EventLoopTransport chosen) {
    StringBuilder why = new StringBuilder();
    for (EventLoopTransport candidate : PREFERENCE) {
      String unavailable = candidate.unavailability();
      if (candidate == chosen) {
        break;
      }
      if (unavailable == null) {
        continue;
      }
      why.append(why.isEmpty() ? "" : "; ")
          .append(candidate.setting)
          .append(": ")
          .append(unavailable);
    }
    return why.toString();
  }

  private Transport vertxTransportOrNull() {
    return switch (this) {
      case AUTO -> resolved().vertxTransportOrNull();
      case NIO -> Transport.NIO;
      case EPOLL -> Transport.EPOLL;
      case IO_URING -> Transport.IO_URING;
    };
  }
}
