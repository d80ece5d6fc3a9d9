package dev.turnpike.listener;

import dev.turnpike.settings.SettingsReader;
import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP listener allows each client, so that slow or idle clients cannot hold a process's
 * connections. Every service reads one of these per listener with {@link #read}, under its own
 * prefix, and gives it to a {@link ListenerGuard}.
 *
 * @param headerReadTimeout how long a client may take to send a request line and its headers:
 *     counted from the connection's start for its first request and from the first byte of each
 *     later one (a Slowloris client that trickles header bytes is cut off when it passes)
 * @param idleTimeout how long a connection may carry no traffic at all before it is closed
 * @param maxHeaderBytes the largest request header block; a larger one is answered 431
 * @param maxConnections how many connections the listener holds at once; one more is closed as it
 *     arrives, unanswered, while those inside go on being served
 */
public record ListenerLimits(
    Duration headerReadTimeout, Duration idleTimeout, int maxHeaderBytes, int maxConnections) {

  public ListenerLimits {
    Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (headerReadTimeout.isNegative() || headerReadTimeout.isZero()) {
      throw new IllegalArgumentException("the header read timeout must be positive");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
    if (maxHeaderBytes < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("header bytes and connections must be at least 1");
    }
  }

  /** A listener for the public (browsers, API clients): generous but bounded. */
  public static ListenerLimits forPublic(int maxConnections) {
    return new ListenerLimits(
        Duration.ofSeconds(10), Duration.ofSeconds(60), 16_384, maxConnections);
  }

  /** A listener for probes and scrapers: they ask small things quickly, and are few. */
  public static ListenerLimits forAdmin() {
    return new ListenerLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 8_192, 64);
  }

  /**
   * Reads the four variables named (each service spells its own out, so a search for a variable
   * finds where it is read); each one unset takes its value from {@code defaults}. Problems are
   * reported through {@code read}, naming the variable.
   *
   * @param headerReadTimeoutMs e.g. {@code TURNPIKE_GATEWAY_HEADER_READ_TIMEOUT_MS}
   * @param idleTimeoutMs e.g. {@code TURNPIKE_GATEWAY_IDLE_TIMEOUT_MS}
   * @param maxHeaderBytes e.g. {@code TURNPIKE_GATEWAY_MAX_HEADER_BYTES}
   * @param maxConnections e.g. {@code TURNPIKE_GATEWAY_MAX_CONNECTIONS}
   */
  public static ListenerLimits read(
      SettingsReader read,
      ListenerLimits defaults,
      String headerReadTimeoutMs,
      String idleTimeoutMs,
      String maxHeaderBytes,
      String maxConnections) {
    named(headerReadTimeoutMs, "HEADER_READ_TIMEOUT_MS");
    named(idleTimeoutMs, "IDLE_TIMEOUT_MS");
    named(maxHeaderBytes, "MAX_HEADER_BYTES");
    named(maxConnections, "MAX_CONNECTIONS");
    return new ListenerLimits(
        read.millis(headerReadTimeoutMs, defaults.headerReadTimeout().toMillis(), 100, 600_000),
        read.millis(idleTimeoutMs, defaults.idleTimeout().toMillis(), 100, 86_400_000),
        read.integer(maxHeaderBytes, defaults.maxHeaderBytes(), 1024, 1 << 20),
        read.integer(maxConnections, defaults.maxConnections(), 1, 1_000_000));
  }

  /** Catches names passed in the wrong order: each must end as its setting does. */
  private static void named(String name, String ending) {
    if (!name.endsWith(ending)) {
      throw new IllegalArgumentException(name + " is not a *" + ending + " setting");
    }
  }
}
