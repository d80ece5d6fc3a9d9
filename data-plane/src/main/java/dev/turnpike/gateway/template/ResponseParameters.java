package dev.turnpike.gateway.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An integration response's {@code responseParameters}: {@code method.response.header.X} from
 * {@code integration.response.header.Y}, {@code integration.response.body}, a field under it
 * ({@code integration.response.body.error.code}, also written {@code ...body.$.error.code}) or a
 * {@code 'literal'}. Parsed once per deployment.
 */
public final class ResponseParameters {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET = "method.response.header.";
  private static final String HEADER = "integration.response.header.";
  private static final String BODY = "integration.response.body";

  private enum Kind {
    LITERAL,
    HEADER,
    BODY,
    BODY_FIELD
  }

  private record Entry(String header, Kind kind, String source, List<String> fields) {}

  static final ResponseParameters NONE = new ResponseParameters(List.of());

  private final List<Entry> entries;

  private ResponseParameters(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * @throws IllegalArgumentException naming the first mapping that is not understood
   */
  static ResponseParameters parse(Map<String, String> mappings) {
    List<Entry> entries = new ArrayList<>();
    mappings.forEach(
        (target, rawSource) -> {
          if (!target.startsWith(TARGET) || target.length() == TARGET.length()) {
            throw new IllegalArgumentException("unsupported response parameter " + target);
          }
          String header = target.substring(TARGET.length());
          String source = rawSource == null ? "" : rawSource.trim();
          if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) {
            entries.add(
                new Entry(header, Kind.LITERAL, source.substring(1, source.length() - 1), null));
          } else if (source.startsWith(HEADER) && source.length() > HEADER.length()) {
            entries.add(new Entry(header, Kind.HEADER, source.substring(HEADER.length()), null));
          } else if (source.equals(BODY)) {
            entries.add(new Entry(header, Kind.BODY, null, null));
          } else if (source.startsWith(BODY + ".") && source.length() > BODY.length() + 1) {
            String path = source.substring(BODY.length() + 1);
            if (path.startsWith("$.")) {
              path = path.substring(2);
            }
            entries.add(new Entry(header, Kind.BODY_FIELD, null, List.of(path.split("\\."))));
          } else {
            throw new IllegalArgumentException(
                "unsupported source " + rawSource + " for response parameter " + target);
          }
        });
    return new ResponseParameters(List.copyOf(entries));
  }

  /** Sets the mapped headers on {@code out}; a value the response does not carry sets nothing. */
  void apply(MultiMap backendHeaders, Buffer backendBody, MultiMap out) {
    JsonNode json = null;
    for (Entry entry : entries) {
      String value =
          switch (entry.kind()) {
            case LITERAL -> entry.source();
            case HEADER -> backendHeaders.get(entry.source());
            case BODY -> backendBody.toString();
            case BODY_FIELD -> {
              if (json == null) {
                json = parse(backendBody);
              }
              yield field(json, entry.fields());
            }
          };
      HeaderValues.set(out, entry.header(), value);
    }
  }

  private static JsonNode parse(Buffer body) {
    try {
      return JSON.readTree(body.getBytes());
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String field(JsonNode json, List<String> fields) {
    JsonNode node = json;
    for (String field : fields) {
      if (node == null) {
        return null;
      }
      node = node.get(field);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }
}
