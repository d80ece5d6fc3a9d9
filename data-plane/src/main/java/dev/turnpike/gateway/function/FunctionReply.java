package dev.turnpike.gateway.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.turnpike.contracts.json.JsonCodec;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A function's answer read as API Gateway reads a Lambda proxy response: {@code statusCode}
 * (required), {@code headers}, {@code multiValueHeaders} (which win for a name both carry), {@code
 * body}, {@code isBase64Encoded}, and for payload 2.0 {@code cookies}. Payload 1.0 allows no other
 * field; under 2.0 an answer that is not an object with a {@code statusCode} is the body of a 200
 * {@code application/json} response (a JSON string as its text).
 *
 * @param headers the response headers, {@code Set-Cookie}s included
 */
record FunctionReply(int status, MultiMap headers, Buffer body) {
  private static final ObjectReader JSON = JsonCodec.mapper().reader();
  private static final Set<String> REST_FIELDS =
      Set.of("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded");

  /** An answer API Gateway would call a malformed Lambda proxy response. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  static FunctionReply parse(Buffer payload, boolean httpApi) throws Malformed {
    JsonNode root;
    try {
      root = JSON.readTree(payload.getBytes());
    } catch (IOException e) {
      throw new Malformed("not JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new Malformed("empty");
    }
    if (httpApi && !(root.isObject() && root.has("statusCode"))) {
      return inferred(root);
    }
    if (!root.isObject()) {
      throw new Malformed("not a JSON object");
    }
    if (!httpApi) {
      for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!REST_FIELDS.contains(name)) {
          throw new Malformed("unexpected field " + name);
        }
      }
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    JsonNode multi = objectOrNull(root.get("multiValueHeaders"), "multiValueHeaders");
    JsonNode single = objectOrNull(root.get("headers"), "headers");
    if (single != null) {
      for (Map.Entry<String, JsonNode> header : single.properties()) {
        if (multi == null || !multi.has(header.getKey())) {
          String value = scalar(header.getValue(), "headers");
          if (value != null) {
            headers.add(header.getKey(), value);
          }
        }
      }
    }
    if (multi != null) {
      for (Map.Entry<String, JsonNode> header : multi.properties()) {
        for (JsonNode value : array(header.getValue(), "multiValueHeaders")) {
          String text = scalar(value, "multiValueHeaders");
          if (text != null) {
            headers.add(header.getKey(), text);
          }
        }
      }
    }
    if (httpApi) {
      for (JsonNode cookie : array(root.get("cookies"), "cookies")) {
        String text = scalar(cookie, "cookies");
        if (text != null) {
          headers.add("Set-Cookie", text);
        }
      }
    }
    defaultContentType(headers);
    return new FunctionReply(statusOf(root.get("statusCode")), headers, bodyOf(root));
  }

  /** HTTP API's reading of an answer that is not a response object. */
  private static FunctionReply inferred(JsonNode root) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    defaultContentType(headers);
    String body = root.isTextual() ? root.textValue() : root.toString();
    return new FunctionReply(200, headers, Buffer.buffer(body));
  }

  private static void defaultContentType(MultiMap headers) {
    if (!headers.contains("content-type")) {
      headers.set("Content-Type", "application/json");
    }
  }

  private static int statusOf(JsonNode status) throws Malformed {
    int code;
    if (status != null && status.canConvertToInt() && status.isIntegralNumber()) {
      code = status.intValue();
    } else if (status != null && status.isTextual() && status.textValue().matches("\\d{3}")) {
      code = Integer.parseInt(status.textValue());
    } else {
      throw new Malformed("statusCode missing or not a number");
    }
    if (code < 100 || code > 599) {
      throw new Malformed("statusCode out of range");
    }
    return code;
  }

  private static Buffer bodyOf(JsonNode root) throws Malformed {
    JsonNode body = root.get("body");
    if (body == null || body.isNull()) {
      return Buffer.buffer();
    }
    if (!body.isTextual()) {
      throw new Malformed("body is not a string");
    }
    JsonNode base64 = root.get("isBase64Encoded");
    if (base64 != null && !base64.isNull() && !base64.isBoolean()) {
      throw new Malformed("isBase64Encoded is not a boolean");
    }
    if (base64 != null && base64.booleanValue()) {
      try {
        return Buffer.buffer(Base64.getDecoder().decode(body.textValue()));
      } catch (IllegalArgumentException e) {
        throw new Malformed("body is not base64");
      }
    }
    return Buffer.buffer(body.textValue());
  }

  private static JsonNode objectOrNull(JsonNode node, String field) throws Malformed {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new Malformed(field + " is not an object");
    }
    return node;
  }

  private static Iterable<JsonNode> array(JsonNode node, String field) throws Malformed {
    if (node == null || node.isNull()) {
      return Set.of();
    }
    if (!node.isArray()) {
      throw new Malformed(field + " holds a value that is not a list");
    }
    return node;
  }

  /** A header value: text, a number or a boolean as its text; null skips the header. */
  private static String scalar(JsonNode node, String field) throws Malformed {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new Malformed(field + " holds a value that is not text");
    }
    return node.asText();
  }
}
