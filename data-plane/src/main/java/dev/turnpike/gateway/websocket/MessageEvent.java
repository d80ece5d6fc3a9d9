package dev.turnpike.gateway.websocket;

import io.vertx.core.buffer.Buffer;

/**
 * One event of a connection a route's integration is called with.
 *
 * @param messageId for a message, its id; null for {@code $connect} and {@code $disconnect}
 * @param body the message (null for {@code $connect} and {@code $disconnect})
 * @param binary whether the message came in binary frames (then base64 in a function's event)
 * @param disconnectStatusCode for {@code $disconnect}, the close code; 0 otherwise
 */
public record MessageEvent(
    EventType eventType,
    String routeKey,
    String messageId,
    String requestId,
    long requestTimeEpoch,
    Buffer body,
    boolean binary,
    ConnectionInfo connection,
    int disconnectStatusCode,
    String disconnectReason) {}
