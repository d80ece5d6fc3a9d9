package dev.turnpike.gateway.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.turnpike.contracts.json.JsonCodec;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A WebSocket API's route selection expression, compiled once per deployment: {@code
 * $request.body.a.b} (or {@code ${request.body.a.b}}) names a field of the message's JSON object,
 * whose text is the route key. The message is read with a streaming parser that gives up after a
 * budget of tokens, so a message built to be slow to search costs no more than that; a message that
 * is no JSON object, lacks the field, or exhausts the budget selects nothing ({@code $default}).
 */
public final class RouteSelection {
  private static final JsonFactory JSON = JsonCodec.mapper().getFactory();
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_\\-]{1,128}");
  private static final int MAX_DEPTH = 16;

  private final List<String> path;
  private final int maxTokens;

  private RouteSelection(List<String> path, int maxTokens) {
    this.path = path;
    this.maxTokens = maxTokens;
  }

  /**
   * @throws IllegalArgumentException for an expression other than {@code $request.body.} and a dot
   *     path of at most 16 plain field names
   */
  public static RouteSelection compile(String expression, int maxTokens) {
    String body = expression == null ? "" : expression.trim();
    if (body.startsWith("${") && body.endsWith("}")) {
      body = "$" + body.substring(2, body.length() - 1);
    }
    String prefix = "$request.body.";
    if (!body.startsWith(prefix)) {
      throw new IllegalArgumentException(
          "a route selection expression must be $request.body.<field>[.<field>...], was "
              + expression);
    }
    List<String> path = List.of(body.substring(prefix.length()).split("\\.", -1));
    if (path.size() > MAX_DEPTH || !path.stream().allMatch(p -> FIELD.matcher(p).matches())) {
      throw new IllegalArgumentException(
          "a route selection expression names at most "
              + MAX_DEPTH
              + " plain fields: "
              + expression);
    }
    return new RouteSelection(path, maxTokens);
  }

  /** The route key {@code message} selects, or null for none. */
  public String select(String message) {
    try (JsonParser parser = JSON.createParser(message)) {
      int[] budget = {maxTokens};
      if (next(parser, budget) != JsonToken.START_OBJECT) {
        return null;
      }
      return find(parser, 0, budget);
    } catch (IOException | BudgetSpent e) {
      return null;
    }
  }

  /** Inside an object, at depth {@code level} of the path: the value's text, or null. */
  private String find(JsonParser parser, int level, int[] budget) throws IOException {
    JsonToken token;
    while ((token = next(parser, budget)) == JsonToken.FIELD_NAME) {
      boolean wanted = path.get(level).equals(parser.currentName());
      JsonToken value = next(parser, budget);
      if (!wanted) {
        skip(parser, value, budget);
        continue;
      }
      if (level == path.size() - 1) {
        return value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : null;
      }
      return value == JsonToken.START_OBJECT ? find(parser, level + 1, budget) : null;
    }
    return null;
  }

  private static void skip(JsonParser parser, JsonToken value, int[] budget) throws IOException {
    if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
      return;
    }
    int depth = 1;
    while (depth > 0) {
      JsonToken token = next(parser, budget);
      if (token == null) {
        throw new IOException("truncated");
      }
      if (token.isStructStart()) {
        depth++;
      } else if (token.isStructEnd()) {
        depth--;
      }
    }
  }

  private static JsonToken next(JsonParser parser, int[] budget) throws IOException {
    if (--budget[0] < 0) {
      throw new BudgetSpent();
    }
    return parser.nextToken();
  }

  private static final class BudgetSpent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetSpent() {
      super(null, null, false, false);
    }
  }
}
