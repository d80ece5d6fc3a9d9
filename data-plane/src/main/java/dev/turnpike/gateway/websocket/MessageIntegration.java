package dev.turnpike.gateway.websocket;

import io.vertx.core.Future;

/**
 * The backend of one WebSocket route. Called on the connection's event loop; fails only with a
 * {@link dev.turnpike.gateway.response.GatewayFailure}.
 */
public interface MessageIntegration {
  Future<MessageReply> invoke(MessageEvent event);
}
