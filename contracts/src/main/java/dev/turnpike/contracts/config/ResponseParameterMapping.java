package dev.turnpike.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An integration response's {@code responseParameters}, the one home of what they accept and what
 * they yield: {@code method.response.header.X} from {@code integration.response.header.Y}, {@code
 * integration.response.body}, a field under it ({@code integration.response.body.error.code}, also
 * written {@code ...body.$.error.code}) or a {@code 'literal'}. The management API and the import
 * validate with {@link #problem}; the gateway and the control plane's test invocation evaluate with
 * {@link #parse} and {@link #apply}, so what a test shows is what a call gets.
 *
 * <p>A body path is followed field by field; array indexes and filters ({@code items[0]}) find
 * nothing and set no header.
 */
public final class ResponseParameterMapping {
  public static final String TARGET_RULE = "must be named method.response.header.NAME";
  public static final String SOURCE_RULE =
      "must be integration.response.header.NAME, integration.response.body,"
          + " integration.response.body.JSONPATH (such as integration.response.body.id) or a"
          + " 'static' value";

  /** No mappings. */
  public static final ResponseParameterMapping NONE = new ResponseParameterMapping(List.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET = "method.response.header.";
  private static final String HEADER = "integration.response.header.";
  private static final String BODY = "integration.response.body";
  private static final Pattern TARGET_NAME =
      Pattern.compile("^method\\.response\\.header\\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$");
  private static final Pattern SOURCE =
      Pattern.compile(
          "^(integration\\.response\\.header\\.[A-Za-z0-9!#$%&'*+.^_`|~-]+"
              + "|integration\\.response\\.body(\\..+)?"
              + "|'[^']*')$");

  private enum Kind {
    LITERAL,
    HEADER,
    BODY,
    BODY_FIELD
  }

  private record Entry(String header, Kind kind, String source, List<String> fields) {}

  private final List<Entry> entries;

  private ResponseParameterMapping(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * @return why one mapping is refused ({@link #TARGET_RULE} or {@link #SOURCE_RULE}), or null
   */
  public static String problem(String target, String source) {
    if (target == null || !TARGET_NAME.matcher(target).matches()) {
      return TARGET_RULE;
    }
    if (source == null || !SOURCE.matcher(source).matches()) {
      return SOURCE_RULE;
    }
    return null;
  }

  /**
   * @throws IllegalArgumentException naming the first mapping {@link #problem} refuses
   */
  public static ResponseParameterMapping parse(Map<String, String> mappings) {
    List<Entry> entries = new ArrayList<>();
    mappings.forEach(
        (target, rawSource) -> {
          String source = rawSource == null ? null : rawSource.trim();
          String problem = problem(target, source);
          if (problem != null) {
            throw new IllegalArgumentException(
                "response parameter " + target + " = " + rawSource + ": " + problem);
          }
          entries.add(entry(target.substring(TARGET.length()), source));
        });
    return entries.isEmpty() ? NONE : new ResponseParameterMapping(List.copyOf(entries));
  }

  private static Entry entry(String header, String source) {
    if (source.startsWith("'")) {
      return new Entry(header, Kind.LITERAL, source.substring(1, source.length() - 1), null);
    }
    if (source.startsWith(HEADER)) {
      return new Entry(header, Kind.HEADER, source.substring(HEADER.length()), null);
    }
    if (source.equals(BODY)) {
      return new Entry(header, Kind.BODY, null, null);
    }
    String path = source.substring(BODY.length() + 1);
    if (path.startsWith("$.")) {
      path = path.substring(2);
    }
    return new Entry(header, Kind.BODY_FIELD, null, List.of(path.split("\\.")));
  }

  /**
   * Hands each mapped header to {@code set}; a value the response does not carry is not handed on.
   *
   * @param backendHeader the integration response's header by name (case-insensitive)
   * @param backendBody its body, read only when a mapping needs it
   */
  public void apply(
      Function<String, String> backendHeader,
      Supplier<byte[]> backendBody,
      BiConsumer<String, String> set) {
    JsonNode json = null;
    for (Entry entry : entries) {
      String value =
          switch (entry.kind()) {
            case LITERAL -> entry.source();
            case HEADER -> backendHeader.apply(entry.source());
            case BODY -> new String(backendBody.get(), StandardCharsets.UTF_8);
            case BODY_FIELD -> {
              if (json == null) {
                json = parse(backendBody.get());
              }
              yield field(json, entry.fields());
            }
          };
      if (value != null) {
        set.accept(entry.header(), value);
      }
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
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
