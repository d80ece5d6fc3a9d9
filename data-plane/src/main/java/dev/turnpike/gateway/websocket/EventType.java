package dev.turnpike.gateway.websocket;

/** API Gateway's {@code requestContext.eventType} of a WebSocket route's event. */
public enum EventType {
  CONNECT,
  MESSAGE,
  DISCONNECT
}
