package dev.turnpike.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.config.RequestValidation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A route's request validator, compiled once per deployment: the required parameters (path, query
 * string, header) and the JSON Schema a body must satisfy. Only routes that have one pay for it;
 * the body is buffered only when it is validated.
 */
public final class RequestCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHEAP_BODY_BYTES = 16 * 1024;

  private enum Location {
    PATH,
    QUERY,
    HEADER
  }

  private record Parameter(Location location, String name) {}

  private final List<Parameter> required;
  private final JsonSchema body;

  private RequestCheck(List<Parameter> required, JsonSchema body) {
    this.required = required;
    this.body = body;
  }

  /**
   * @return null when the validation checks nothing
   * @throws IllegalArgumentException naming what is malformed
   */
  public static RequestCheck compile(RequestValidation validation) {
    if (validation == null) {
      return null;
    }
    List<Parameter> required = new ArrayList<>();
    for (String expression : validation.requiredParameters()) {
      required.add(parameter(expression));
    }
    JsonSchema body =
        validation.bodySchema() == null ? null : JsonSchema.compile(validation.bodySchema());
    if (required.isEmpty() && body == null) {
      return null;
    }
    return new RequestCheck(List.copyOf(required), body);
  }

  private static Parameter parameter(String expression) {
    String prefix = "method.request.";
    if (expression != null && expression.startsWith(prefix)) {
      String rest = expression.substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot > 0 && dot < rest.length() - 1) {
        String name = rest.substring(dot + 1);
        switch (rest.substring(0, dot)) {
          case "path":
            return new Parameter(Location.PATH, name);
          case "querystring":
            return new Parameter(Location.QUERY, name);
          case "header":
            return new Parameter(Location.HEADER, name);
          default:
            break;
        }
      }
    }
    throw new IllegalArgumentException(
        "required parameter '"
            + expression
            + "' is not method.request.{path|querystring|header}.NAME");
  }

  /**
   * @return API Gateway's message naming every missing parameter, or null when none is missing
   */
  public String missingParameters(HttpServerRequest request, Map<String, String> pathParameters) {
    List<String> missing = null;
    for (Parameter parameter : required) {
      String value =
          switch (parameter.location()) {
            case PATH -> pathParameters.get(parameter.name());
            case QUERY -> request.getParam(parameter.name());
            case HEADER -> request.getHeader(parameter.name());
          };
      if (value == null || value.isEmpty()) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(parameter.name());
      }
    }
    return missing == null
        ? null
        : "Missing required request parameters: [" + String.join(", ", missing) + "]";
  }

  public boolean validatesBody() {
    return body != null;
  }

  /** What a body check found. */
  public enum Verdict {
    ACCEPTED,
    /** Not JSON, empty, or breaks the schema: 400 Invalid request body. */
    INVALID,
    /**
     * Matching the model's patterns against this body's strings could cost more than {@link
     * #PATTERN_BUDGET}: 413, as for a body over the size limit.
     */
    TOO_COSTLY
  }

  /**
   * The most pattern work one body may ask for: the schema's pattern weight times the characters of
   * the body's strings. Linear-time matching still costs text times program, so this bounds a check
   * to well under a second of one worker thread, while a megabyte of text against a simple pattern
   * passes.
   */
  public static final long PATTERN_BUDGET = 16_000_000L;

  /**
   * Whether the body is JSON that satisfies the schema; an empty or non-JSON body does not. It may
   * take a while on a big body: callers run it off the event loop.
   */
  public Verdict checkBody(Buffer bytes) {
    if (bytes == null || bytes.length() == 0) {
      return Verdict.INVALID;
    }
    JsonNode document;
    try {
      document = JSON.readTree(bytes.getBytes());
    } catch (IOException e) {
      return Verdict.INVALID;
    }
    if (document == null || document.isMissingNode()) {
      return Verdict.INVALID;
    }
    if (body.patternWeight() > 0
        && (long) body.patternWeight() * textLength(document) > PATTERN_BUDGET) {
      return Verdict.TOO_COSTLY;
    }
    return body.accepts(document) ? Verdict.ACCEPTED : Verdict.INVALID;
  }

  /**
   * Whether checking a body of this length is cheap enough for an event loop: no patterns (whose
   * cost is text times program) and a small body.
   */
  public boolean checksCheaply(int bodyLength) {
    return body.patternWeight() == 0 && bodyLength <= CHEAP_BODY_BYTES;
  }

  /** The characters of every string value in {@code node}, which is what patterns match. */
  private static long textLength(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().length();
    }
    long length = 0;
    for (JsonNode child : node) {
      length += textLength(child);
    }
    return length;
  }
}
