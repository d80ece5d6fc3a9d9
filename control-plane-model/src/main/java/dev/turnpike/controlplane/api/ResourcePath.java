package dev.turnpike.controlplane.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A route's resource path as API Gateway defines it: {@code /}, literal segments, {@code {name}}
 * segments that capture one segment, and a final {@code {name+}} that captures the rest. The rules
 * are the gateway's own, so a path accepted here is one the gateway can route.
 */
public final class ResourcePath {
  /** One segment: literal text, or a variable (greedy or not). */
  public record Segment(String text, String variable, boolean greedy) {
    public boolean isVariable() {
      return variable != null;
    }
  }

  private ResourcePath() {}

  /**
   * @return the segments, empty for {@code /}
   * @throws IllegalArgumentException with a message fit for the client
   */
  public static List<Segment> parse(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("must start with '/'");
    }
    if (path.length() > 1024) {
      throw new IllegalArgumentException("must be at most 1024 characters long");
    }
    List<Segment> segments = new ArrayList<>();
    if (path.equals("/")) {
      return segments;
    }
    for (String text : path.substring(1).split("/", -1)) {
      if (!segments.isEmpty() && segments.getLast().greedy()) {
        throw new IllegalArgumentException(
            "a greedy {" + segments.getLast().variable() + "+} must be the last segment");
      }
      segments.add(segment(text));
    }
    return segments;
  }

  private static Segment segment(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("has an empty segment ('//' or a trailing '/')");
    }
    if (text.startsWith("{") && text.endsWith("}")) {
      boolean greedy = text.endsWith("+}");
      String name = text.substring(1, text.length() - (greedy ? 2 : 1));
      if (name.isEmpty() || !isName(name)) {
        throw new IllegalArgumentException(
            "has an invalid variable '" + text + "' (names use letters, digits, '_', '-' and '.')");
      }
      return new Segment(text, name, greedy);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(isLetterOrDigit(c) || "-._~!$&'()*+,;=:@".indexOf(c) >= 0)) {
        throw new IllegalArgumentException(
            "segment '"
                + text
                + "' has the character '"
                + c
                + "'; a variable must be a whole segment, as in {name}");
      }
    }
    return new Segment(text, null, false);
  }

  private static boolean isName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * Checks a new path against the API's other paths: at any level there may be only one {@code
   * {name}} and one {@code {name+}} variable, as in API Gateway. To check many paths, keep a {@link
   * PathConflicts}.
   *
   * @return a message naming the conflicting path, or null when there is none
   */
  public static String conflict(String path, List<String> otherPaths) {
    return PathConflicts.of(otherPaths).conflict(parse(path));
  }
}
