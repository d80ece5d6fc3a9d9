package dev.turnpike.gateway.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.gateway.function.FunctionEndpoint;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket route whose backend is an endpoint: a function ({@code aws_proxy}), sent API
 * Gateway's WebSocket event and answering {@code {statusCode, body}} (any other answer is a 200
 * whose payload is the body, as API Gateway sends a function's plain result back); or a plain URL
 * ({@code http} / {@code http_proxy}) the message is POSTed to, with the connection id, route key
 * and event type in {@code x-turnpike-*} headers, its status and body the answer.
 */
final class EndpointMessageIntegration implements MessageIntegration {
  static final String CONNECTION_ID_HEADER = "x-turnpike-connection-id";
  static final String ROUTE_KEY_HEADER = "x-turnpike-route-key";
  static final String EVENT_TYPE_HEADER = "x-turnpike-event-type";
  static final String MESSAGE_ID_HEADER = "x-turnpike-message-id";

  private static final Logger LOG = LoggerFactory.getLogger(EndpointMessageIntegration.class);

  private final FunctionEndpoint endpoint;
  private final boolean function;

  EndpointMessageIntegration(FunctionEndpoint endpoint, boolean function) {
    this.endpoint = endpoint;
    this.function = function;
  }

  @Override
  public Future<MessageReply> invoke(MessageEvent event) {
    ConnectionInfo connection = event.connection();
    if (function) {
      return endpoint
          .invoke(WebSocketEvents.of(event), connection.log())
          .map(invocation -> functionReply(invocation, event));
    }
    Map<String, String> headers = new HashMap<>();
    headers.put(CONNECTION_ID_HEADER, connection.connectionId());
    headers.put(ROUTE_KEY_HEADER, event.routeKey());
    headers.put(EVENT_TYPE_HEADER, event.eventType().name());
    headers.put(CallbackAuth.TOKEN_HEADER, connection.callbackToken());
    headers.put("Content-Type", event.binary() ? "application/octet-stream" : "application/json");
    if (event.messageId() != null) {
      headers.put(MESSAGE_ID_HEADER, event.messageId());
    }
    Buffer body = event.body() == null ? Buffer.buffer() : event.body();
    return endpoint
        .invoke(body, headers, connection.log())
        .map(invocation -> new MessageReply(invocation.status(), invocation.payload()));
  }

  private static MessageReply functionReply(
      FunctionEndpoint.Invocation invocation, MessageEvent event) {
    if (invocation.functionError() != null || invocation.status() != 200) {
      String why =
          invocation.functionError() != null
              ? "function error " + invocation.functionError()
              : "Invoke API answered " + invocation.status();
      event.connection().log().run(() -> LOG.debug("route {} failed: {}", event.routeKey(), why));
      throw new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE);
    }
    Buffer payload = invocation.payload();
    JsonNode answer;
    try {
      answer = payload.length() == 0 ? null : JsonCodec.mapper().readTree(payload.getBytes());
    } catch (IOException e) {
      return new MessageReply(200, payload);
    }
    if (answer == null || answer.isNull()) {
      return MessageReply.EMPTY_OK;
    }
    if (!answer.isObject() || !answer.path("statusCode").isInt()) {
      return new MessageReply(200, payload);
    }
    JsonNode body = answer.get("body");
    Buffer bytes;
    if (body == null || body.isNull()) {
      bytes = Buffer.buffer();
    } else if (answer.path("isBase64Encoded").asBoolean(false)) {
      try {
        bytes = Buffer.buffer(Base64.getDecoder().decode(body.asText()));
      } catch (IllegalArgumentException e) {
        throw new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE);
      }
    } else {
      bytes = Buffer.buffer(body.isTextual() ? body.asText() : body.toString());
    }
    return new MessageReply(answer.get("statusCode").asInt(), bytes);
  }
}
