package dev.turnpike.gateway.websocket;

import dev.turnpike.settings.SettingsReader;
import java.time.Duration;

/**
 * A node's limits on WebSocket connections, API Gateway's defaults unless the operator says
 * otherwise.
 *
 * @param maxFrameBytes the largest frame a client may send (API Gateway: 32 KB)
 * @param maxMessageBytes the largest message, its frames together (API Gateway: 128 KB); also the
 *     largest answer an integration may send back on a two-way route
 * @param idleTimeout a connection that sends nothing this long is closed (API Gateway: 10 minutes)
 * @param maxConnectionDuration a connection is closed this long after it opened (API Gateway: 2
 *     hours)
 * @param pingInterval how often the gateway pings a quiet client, so proxies on the way keep the
 *     connection and a vanished client is noticed; its pong counts as activity
 * @param maxQueuedBytes how much the gateway holds for a client that reads slower than it is sent
 *     to; past it the connection is closed with 1008 rather than buffering without bound
 * @param maxInFlightMessages how many of one connection's messages may be with integrations at
 *     once; past it the gateway stops reading from the client until one is answered
 * @param maxSelectionTokens how many JSON tokens the route selection expression may read in a
 *     message before the message takes {@code $default}
 * @param maxConnectionsPerTenant how many connections one tenant may hold open on this node; past
 *     it handshakes are refused with 429, so no tenant takes the node's connections from the others
 */
public record WebSocketSettings(
    int maxFrameBytes,
    int maxMessageBytes,
    Duration idleTimeout,
    Duration maxConnectionDuration,
    Duration pingInterval,
    int maxQueuedBytes,
    int maxInFlightMessages,
    int maxSelectionTokens,
    int maxConnectionsPerTenant) {
  /** A tenant's connections on one node by default. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_TENANT = 10_000;

  public static final WebSocketSettings DEFAULTS =
      new WebSocketSettings(
          32 * 1024,
          128 * 1024,
          Duration.ofMinutes(10),
          Duration.ofHours(2),
          Duration.ofSeconds(30),
          1024 * 1024,
          16,
          10_000,
          DEFAULT_MAX_CONNECTIONS_PER_TENANT);

  /** Settings with the default per-tenant connection limit. */
  public WebSocketSettings(
      int maxFrameBytes,
      int maxMessageBytes,
      Duration idleTimeout,
      Duration maxConnectionDuration,
      Duration pingInterval,
      int maxQueuedBytes,
      int maxInFlightMessages,
      int maxSelectionTokens) {
    this(
        maxFrameBytes,
        maxMessageBytes,
        idleTimeout,
        maxConnectionDuration,
        pingInterval,
        maxQueuedBytes,
        maxInFlightMessages,
        maxSelectionTokens,
        DEFAULT_MAX_CONNECTIONS_PER_TENANT);
  }

  public WebSocketSettings {
    if (maxFrameBytes < 125) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be at least 125, was " + maxFrameBytes);
    }
    if (maxMessageBytes < maxFrameBytes) {
      throw new IllegalArgumentException(
          "maxMessageBytes (" + maxMessageBytes + ") must be at least maxFrameBytes");
    }
    positive("idleTimeout", idleTimeout);
    positive("maxConnectionDuration", maxConnectionDuration);
    positive("pingInterval", pingInterval);
    if (maxQueuedBytes < maxMessageBytes) {
      throw new IllegalArgumentException(
          "maxQueuedBytes (" + maxQueuedBytes + ") must hold at least one message");
    }
    if (maxInFlightMessages < 1 || maxSelectionTokens < 1 || maxConnectionsPerTenant < 1) {
      throw new IllegalArgumentException(
          "maxInFlightMessages, maxSelectionTokens and maxConnectionsPerTenant must be positive");
    }
  }

  /**
   * {@code TURNPIKE_GATEWAY_WEBSOCKET_MAX_FRAME_BYTES} [32768], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_MAX_MESSAGE_BYTES} [131072], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_IDLE_TIMEOUT_MS} [600000], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_MAX_DURATION_MS} [7200000], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_PING_INTERVAL_MS} [30000], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_MAX_QUEUED_BYTES} [1048576], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_MAX_IN_FLIGHT_MESSAGES} [16], {@code
   * TURNPIKE_GATEWAY_WEBSOCKET_MAX_CONNECTIONS_PER_TENANT} [10000].
   */
  public static WebSocketSettings read(SettingsReader read) {
    int frame = read.integer("TURNPIKE_GATEWAY_WEBSOCKET_MAX_FRAME_BYTES", 32 * 1024, 125, 1 << 24);
    int message =
        read.integer("TURNPIKE_GATEWAY_WEBSOCKET_MAX_MESSAGE_BYTES", 128 * 1024, 125, 1 << 26);
    int queued =
        read.integer("TURNPIKE_GATEWAY_WEBSOCKET_MAX_QUEUED_BYTES", 1024 * 1024, 125, 1 << 30);
    if (message < frame || queued < message) {
      read.problem(
          "TURNPIKE_GATEWAY_WEBSOCKET_MAX_MESSAGE_BYTES must be at least the frame size, and"
              + " TURNPIKE_GATEWAY_WEBSOCKET_MAX_QUEUED_BYTES at least the message size");
      return DEFAULTS;
    }
    return new WebSocketSettings(
        frame,
        message,
        Duration.ofMillis(
            read.integer("TURNPIKE_GATEWAY_WEBSOCKET_IDLE_TIMEOUT_MS", 600_000, 1, 86_400_000)),
        Duration.ofMillis(
            read.longValue(
                "TURNPIKE_GATEWAY_WEBSOCKET_MAX_DURATION_MS", 7_200_000L, 1, 7L * 86_400_000)),
        Duration.ofMillis(
            read.integer("TURNPIKE_GATEWAY_WEBSOCKET_PING_INTERVAL_MS", 30_000, 1, 86_400_000)),
        queued,
        read.integer("TURNPIKE_GATEWAY_WEBSOCKET_MAX_IN_FLIGHT_MESSAGES", 16, 1, 10_000),
        DEFAULTS.maxSelectionTokens(),
        read.integer(
            "TURNPIKE_GATEWAY_WEBSOCKET_MAX_CONNECTIONS_PER_TENANT",
            DEFAULT_MAX_CONNECTIONS_PER_TENANT,
            1,
            10_000_000));
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
