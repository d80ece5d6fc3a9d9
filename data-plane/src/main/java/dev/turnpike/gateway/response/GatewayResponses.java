package dev.turnpike.gateway.response;

import dev.turnpike.contracts.config.GatewayResponseConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a stage answers the gateway's own failures: API Gateway's defaults ({@code {"message": ...}}
 * plus {@code x-amzn-ErrorType}), with the owner's overrides per response type, then per {@code
 * DEFAULT_4XX} / {@code DEFAULT_5XX}. Override bodies may use {@code $context.error.message} and
 * {@code $context.error.messageString} (the message as a JSON string).
 */
public final class GatewayResponses {
  private static final GatewayResponses DEFAULTS = new GatewayResponses(Map.of());

  private record Rendering(
      int status, Map<String, String> headers, String bodyTemplate, Buffer defaultBody) {}

  private final EnumMap<GatewayResponseType, Rendering> renderings =
      new EnumMap<>(GatewayResponseType.class);

  private GatewayResponses(Map<String, GatewayResponseConfig> overrides) {
    for (GatewayResponseType type : GatewayResponseType.values()) {
      GatewayResponseConfig override = overrides.get(type.name());
      if (override == null) {
        override = overrides.get(type.defaultStatus() < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX");
      }
      int status =
          override != null && override.statusCode() != null
              ? override.statusCode()
              : type.defaultStatus();
      Map<String, String> headers = override == null ? Map.of() : override.headers();
      String template = override == null ? null : override.body();
      renderings.put(
          type,
          new Rendering(
              status, headers, template, Buffer.buffer(defaultBody(type.defaultMessage()))));
    }
  }

  public static GatewayResponses defaults() {
    return DEFAULTS;
  }

  public static GatewayResponses withOverrides(Map<String, GatewayResponseConfig> overrides) {
    return overrides.isEmpty() ? DEFAULTS : new GatewayResponses(overrides);
  }

  /** Writes the response for {@code failure} and returns the status sent. */
  public int send(HttpServerResponse response, GatewayFailure failure) {
    return sendWithHeaders(response, failure, Map.of());
  }

  /**
   * Writes the response for {@code failure} with further headers (an owner's parameter mappings)
   * and returns the status sent.
   */
  public int sendWithHeaders(
      HttpServerResponse response, GatewayFailure failure, Map<String, String> headers) {
    Rendering rendering = head(response, failure);
    headers.forEach(response::putHeader);
    String message = failure.getMessage();
    Buffer body;
    if (rendering.bodyTemplate() != null) {
      body =
          Buffer.buffer(
              rendering
                  .bodyTemplate()
                  .replace("$context.error.messageString", quoted(message))
                  .replace("$context.error.message", message));
    } else if (message.equals(failure.type().defaultMessage())) {
      body = rendering.defaultBody();
    } else {
      body = Buffer.buffer(defaultBody(message));
    }
    response.end(body);
    return rendering.status();
  }

  /**
   * Writes the response for {@code failure} with a body an owner's template made and the headers
   * its parameter mappings gave (over the literal ones), and returns the status sent.
   *
   * @param status the template's {@code $context.responseOverride.status}, null for the type's
   */
  public int sendRendered(
      HttpServerResponse response,
      GatewayFailure failure,
      Integer status,
      String contentType,
      Map<String, String> headers,
      Buffer body) {
    Rendering rendering = head(response, failure);
    int sent = status == null ? rendering.status() : status;
    response.setStatusCode(sent);
    if (contentType != null) {
      response.putHeader("content-type", contentType);
    }
    headers.forEach(response::putHeader);
    response.end(body);
    return sent;
  }

  private Rendering head(HttpServerResponse response, GatewayFailure failure) {
    GatewayResponseType type = failure.type();
    Rendering rendering = renderings.get(type);
    response.setStatusCode(rendering.status());
    response.putHeader("content-type", "application/json");
    response.putHeader("x-amzn-ErrorType", type.errorType());
    rendering.headers().forEach(response::putHeader);
    return rendering;
  }

  /** {@code $context.error.messageString}: the message as a JSON string, quotes included. */
  public static String messageString(String message) {
    return quoted(message);
  }

  private static String defaultBody(String message) {
    return new JsonObject().put("message", message).encode();
  }

  private static String quoted(String message) {
    String object = new JsonObject().put("m", message).encode();
    return object.substring(object.indexOf(':') + 1, object.length() - 1);
  }
}
