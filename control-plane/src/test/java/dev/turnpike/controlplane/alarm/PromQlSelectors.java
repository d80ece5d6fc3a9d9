package dev.turnpike.controlplane.alarm;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the label matchers of every series selector in a PromQL query the way Prometheus's lexer
 * does (string literals with their escapes), so a test sees what Prometheus would select rather
 * than comparing text.
 */
public final class PromQlSelectors {
  /** One matcher: {@code name op "value"}, the value unescaped. */
  public record Matcher(String name, String op, String value) {}

  private final String q;
  private int i;

  private PromQlSelectors(String query) {
    this.q = query;
  }

  /**
   * @throws IllegalArgumentException if a selector is malformed
   */
  public static List<List<Matcher>> of(String query) {
    return new PromQlSelectors(query).selectors();
  }

  private List<List<Matcher>> selectors() {
    List<List<Matcher>> all = new ArrayList<>();
    while (i < q.length()) {
      char c = q.charAt(i);
      if (c == '"') {
        string();
      } else if (c == '{') {
        i++;
        all.add(matchers());
      } else {
        i++;
      }
    }
    return all;
  }

  private List<Matcher> matchers() {
    List<Matcher> out = new ArrayList<>();
    while (true) {
      skipSpace();
      if (peek() == '}') {
        i++;
        return out;
      }
      int start = i;
      while (i < q.length() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
        i++;
      }
      String name = q.substring(start, i);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a label name expected at " + i + " in " + q);
      }
      skipSpace();
      String op;
      if (q.startsWith("=~", i) || q.startsWith("!~", i) || q.startsWith("!=", i)) {
        op = q.substring(i, i + 2);
      } else if (peek() == '=') {
        op = "=";
      } else {
        throw new IllegalArgumentException("an operator expected at " + i + " in " + q);
      }
      i += op.length();
      skipSpace();
      out.add(new Matcher(name, op, string()));
      skipSpace();
      if (peek() == ',') {
        i++;
      } else if (peek() != '}') {
        throw new IllegalArgumentException(", or } expected at " + i + " in " + q);
      }
    }
  }

  private String string() {
    if (peek() != '"') {
      throw new IllegalArgumentException("a string expected at " + i + " in " + q);
    }
    i++;
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = peek();
      i++;
      if (c == '"') {
        return out.toString();
      }
      if (c == '\n') {
        throw new IllegalArgumentException("a line end in a string in " + q);
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = peek();
      i++;
      switch (e) {
        case '"', '\\', '\'' -> out.append(e);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'u' -> out.appendCodePoint(hex(4));
        case 'U' -> out.appendCodePoint(hex(8));
        default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + q);
      }
    }
  }

  private int hex(int digits) {
    int v = Integer.parseUnsignedInt(q.substring(i, i + digits), 16);
    i += digits;
    return v;
  }

  private char peek() {
    if (i >= q.length()) {
      throw new IllegalArgumentException("the query ends early: " + q);
    }
    return q.charAt(i);
  }

  private void skipSpace() {
    while (i < q.length() && Character.isWhitespace(q.charAt(i))) {
      i++;
    }
  }
}
