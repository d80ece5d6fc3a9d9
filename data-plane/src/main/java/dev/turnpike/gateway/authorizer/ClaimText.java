package dev.turnpike.gateway.authorizer;

import io.vertx.core.json.Json;
import java.util.List;
import java.util.Map;

/**
 * A claim as API Gateway hands it to a backend: every value a string. Strings as they are, numbers
 * and booleans in their JSON spelling, an array as its items in brackets separated by spaces
 * ({@code [a b]}, as HTTP APIs write list claims), an object as JSON.
 */
public final class ClaimText {
  private ClaimText() {}

  /** The text of {@code value}; null for null. */
  public static String of(Object value) {
    return switch (value) {
      case null -> null;
      case String text -> text;
      case Number number -> number.toString();
      case Boolean bool -> bool.toString();
      case List<?> list -> {
        StringBuilder text = new StringBuilder("[");
        for (Object item : list) {
          if (text.length() > 1) {
            text.append(' ');
          }
          text.append(of(item));
        }
        yield text.append(']').toString();
      }
      case Map<?, ?> map -> Json.encode(map);
      default -> value.toString();
    };
  }
}
