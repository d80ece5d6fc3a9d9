package dev.turnpike.gateway.websocket;

import dev.turnpike.gateway.function.EventJson;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;

/**
 * The event API Gateway sends a WebSocket route's Lambda proxy integration ({@code
 * APIGatewayV2WebSocketEvent} in AWS's classes, which the tests read it with): the handshake's
 * headers and query on {@code CONNECT}, the message as {@code body} on {@code MESSAGE}, the close
 * code on {@code DISCONNECT}, and {@code requestContext} with the route key, event type, connection
 * id, message id, domain name, stage, connectedAt and the caller's identity.
 */
final class WebSocketEvents {
  private WebSocketEvents() {}

  static Buffer of(MessageEvent event) {
    ConnectionInfo connection = event.connection();
    int sizeHint = 1024 + (event.body() == null ? 0 : event.body().length() * 4 / 3);
    return EventJson.write(
        sizeHint,
        json -> {
          if (event.eventType() == EventType.CONNECT) {
            EventJson.lastValues(json, "headers", connection.headers());
            EventJson.allValues(json, "multiValueHeaders", connection.headers());
            EventJson.lastValues(json, "queryStringParameters", connection.query());
            EventJson.allValues(json, "multiValueQueryStringParameters", connection.query());
          }
          EventJson.map(json, "stageVariables", connection.stageVariables());
          json.writeObjectFieldStart("requestContext");
          json.writeStringField("routeKey", event.routeKey());
          json.writeStringField("eventType", event.eventType().name());
          if (event.messageId() != null) {
            json.writeStringField("messageId", event.messageId());
          }
          json.writeStringField("extendedRequestId", event.requestId());
          json.writeStringField("requestTime", EventJson.requestTime(event.requestTimeEpoch()));
          json.writeStringField("messageDirection", "IN");
          json.writeStringField("stage", connection.stage());
          json.writeNumberField("connectedAt", connection.connectedAt());
          json.writeNumberField("requestTimeEpoch", event.requestTimeEpoch());
          json.writeObjectFieldStart("identity");
          json.writeStringField("sourceIp", connection.sourceIp());
          json.writeStringField("userAgent", connection.userAgent());
          json.writeStringField("apiKey", connection.apiKey());
          json.writeStringField("apiKeyId", connection.apiKeyId());
          json.writeEndObject();
          EventJson.authorizer(json, connection.authorization());
          json.writeStringField("requestId", event.requestId());
          json.writeStringField("domainName", connection.domainName());
          json.writeStringField("connectionId", connection.connectionId());
          json.writeStringField("apiId", connection.apiId());
          // Turnpike's own: what the function calls the @connections API with (AWS signs instead).
          json.writeStringField("callbackToken", connection.callbackToken());
          if (event.eventType() == EventType.DISCONNECT) {
            json.writeNumberField("disconnectStatusCode", event.disconnectStatusCode());
            json.writeStringField("disconnectReason", event.disconnectReason());
          }
          json.writeEndObject();
          if (event.body() != null) {
            json.writeStringField(
                "body",
                event.binary()
                    ? Base64.getEncoder().encodeToString(event.body().getBytes())
                    : event.body().toString());
          }
          json.writeBooleanField("isBase64Encoded", event.binary());
        });
  }
}
