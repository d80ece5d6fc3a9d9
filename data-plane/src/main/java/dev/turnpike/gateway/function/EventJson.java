package dev.turnpike.gateway.function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.gateway.integration.CallContext;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How API Gateway writes the parts its Lambda events share, the proxy integration's and the
 * authorizers' alike: one home, so a function and an authorizer see a request the same way. Events
 * are streamed straight to JSON bytes.
 */
public final class EventJson {
  private static final JsonFactory JSON = JsonCodec.mapper().getFactory();

  private EventJson() {}

  /** An event's fields, written between its object's braces. */
  public interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /** One event object; {@code sizeHint} is the expected size in bytes, to spare copying. */
  public static Buffer write(int sizeHint, Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }

  /** {@code headers} / {@code queryStringParameters}: the last value of each name; null if none. */
  public static void lastValues(JsonGenerator json, String field, Map<String, List<String>> values)
      throws IOException {
    if (values.isEmpty()) {
      json.writeNullField(field);
      return;
    }
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, List<String>> entry : values.entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue().getLast());
    }
    json.writeEndObject();
  }

  /** {@code multiValueHeaders} / {@code multiValueQueryStringParameters}; null if none. */
  public static void allValues(JsonGenerator json, String field, Map<String, List<String>> values)
      throws IOException {
    if (values.isEmpty()) {
      json.writeNullField(field);
      return;
    }
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, List<String>> entry : values.entrySet()) {
      json.writeArrayFieldStart(entry.getKey());
      for (String value : entry.getValue()) {
        json.writeString(value);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** A map of strings ({@code pathParameters}, {@code stageVariables}); null if none. */
  public static void map(JsonGenerator json, String field, Map<String, String> values)
      throws IOException {
    if (values == null || values.isEmpty()) {
      json.writeNullField(field);
      return;
    }
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, String> entry : values.entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
  }

  /** The Cookie header's pairs, one entry each, as HTTP API's {@code cookies}. */
  public static List<String> cookies(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("cookie")) {
        List<String> cookies = new ArrayList<>();
        for (String value : header.getValue()) {
          for (String pair : value.split(";")) {
            if (!pair.isBlank()) {
              cookies.add(pair.trim());
            }
          }
        }
        return cookies;
      }
    }
    return List.of();
  }

  /**
   * {@code requestContext.authorizer} as a REST API's proxy event has it (a Lambda authorizer's
   * principal and context, a JWT's claims); nothing for a caller no authorizer saw.
   */
  public static void authorizer(
      JsonGenerator json, dev.turnpike.gateway.authorizer.Authorization authorization)
      throws IOException {
    ProxyEvents.restAuthorizer(json, authorization);
  }

  /** {@code requestTime} as API Gateway writes it, e.g. {@code 09/Apr/2015:12:34:56 +0000}. */
  public static String requestTime(long epochMillis) {
    return CallContext.requestTime(epochMillis);
  }
}
