package dev.turnpike.gateway.routing;

import java.util.ArrayList;
import java.util.List;

/** One segment of a declared resource path: {@code pets}, {@code {petId}} or {@code {proxy+}}. */
sealed interface ResourceSegment {

  /** The segment as written in the resource path. */
  String text();

  /** A segment that must equal the request segment. */
  record Literal(String text) implements ResourceSegment {}

  /** A {@code {name}} segment that captures exactly one request segment. */
  record Variable(String name) implements ResourceSegment {
    @Override
    public String text() {
      return "{" + name + "}";
    }
  }

  /** A {@code {name+}} segment that captures one or more request segments, up to the end. */
  record Greedy(String name) implements ResourceSegment {
    @Override
    public String text() {
      return "{" + name + "+}";
    }
  }

  /**
   * Splits and validates a resource path such as {@code /pets/{petId}/toys}.
   *
   * @throws IllegalArgumentException naming the path and the offending segment
   */
  static List<ResourceSegment> parsePath(String resourcePath) {
    if (resourcePath == null || !resourcePath.startsWith("/")) {
      throw new IllegalArgumentException(
          "Resource path '" + resourcePath + "' must start with '/'");
    }
    List<ResourceSegment> segments = new ArrayList<>();
    if (resourcePath.equals("/")) {
      return segments;
    }
    for (String text : resourcePath.substring(1).split("/", -1)) {
      if (!segments.isEmpty() && segments.getLast() instanceof Greedy greedy) {
        throw new IllegalArgumentException(
            "Resource path '"
                + resourcePath
                + "': greedy {"
                + greedy.name()
                + "+} must be the last segment");
      }
      segments.add(parseSegment(resourcePath, text));
    }
    return segments;
  }

  private static ResourceSegment parseSegment(String resourcePath, String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException(
          "Resource path '" + resourcePath + "' has an empty segment ('//' or a trailing '/')");
    }
    if (text.startsWith("{") && text.endsWith("}")) {
      boolean greedy = text.endsWith("+}");
      String name = text.substring(1, text.length() - (greedy ? 2 : 1));
      if (!isValidVariableName(name)) {
        throw new IllegalArgumentException(
            "Resource path '"
                + resourcePath
                + "': invalid variable '"
                + text
                + "' (names use letters, digits, '_', '-' and '.')");
      }
      return greedy ? new Greedy(name) : new Variable(name);
    }
    for (int i = 0; i < text.length(); i++) {
      if (!isLiteralChar(text.charAt(i))) {
        throw new IllegalArgumentException(
            "Resource path '"
                + resourcePath
                + "': segment '"
                + text
                + "' has the character '"
                + text.charAt(i)
                + "'; a literal segment may only use characters a URL path carries unencoded,"
                + " and a variable must be the whole segment, as in {name}");
      }
    }
    return new Literal(text);
  }

  private static boolean isValidVariableName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 3986 {@code pchar} without '%': requests may still percent-encode these characters, and the
   * router decodes such segments before comparing them with literals.
   */
  private static boolean isLiteralChar(char c) {
    return isAsciiLetterOrDigit(c) || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
