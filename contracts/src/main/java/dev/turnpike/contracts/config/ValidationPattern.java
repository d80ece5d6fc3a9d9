package dev.turnpike.contracts.config;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A request model's {@code pattern}, as the gateway runs it: on RE2/J, whose matching time grows
 * linearly with the text, never exponentially as a backtracking engine's can ({@code ^(a+)+$}
 * against {@code aaaa...!}). The one rule for whether a pattern is acceptable: the control plane
 * refuses others at import, and the gateway refuses them again when it compiles a deployment.
 *
 * <p>Acceptable means: RE2 syntax (so no lookahead, lookbehind or backreferences), with ECMA-262's
 * {@code \\uXXXX} escapes accepted as JSON Schema writes them, and a compiled program of at most
 * {@link #MAX_WEIGHT} steps. Linear time is linear in the text times the program, and counted
 * repetitions multiply a program ({@code (a{1000}){1000}} is a million steps per character), so the
 * program's size is bounded too.
 */
public final class ValidationPattern {
  /** The largest program accepted, in {@link PatternWeight} steps; RE2's own repeat cap. */
  public static final int MAX_WEIGHT = 1000;

  private final String source;
  private final Pattern compiled;
  private final int weight;

  private ValidationPattern(String source, Pattern compiled, int weight) {
    this.source = source;
    this.compiled = compiled;
    this.weight = weight;
  }

  /**
   * @throws IllegalArgumentException saying why the pattern is not acceptable
   */
  public static ValidationPattern compile(String source) {
    String translated = translateUnicodeEscapes(source);
    // Weighed first: RE2/J itself takes seconds to compile a program of millions of steps.
    int weight = PatternWeight.of(translated);
    if (weight > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "pattern '"
              + source
              + "' is too complex: its counted repetitions and nesting make about "
              + weight
              + " steps per character, at most "
              + MAX_WEIGHT
              + " are allowed");
    }
    Pattern compiled;
    try {
      compiled = Pattern.compile(translated);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "pattern '"
              + source
              + "' cannot be run in linear time: "
              + e.getDescription()
              + (e.getPattern().isEmpty() ? "" : " at `" + e.getPattern() + "`")
              + " (RE2 syntax: lookahead, lookbehind and backreferences are not supported)",
          e);
    }
    return new ValidationPattern(source, compiled, weight);
  }

  /**
   * @return why {@code source} is not acceptable, or null when it is
   */
  public static String problem(String source) {
    try {
      compile(source);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Whether the pattern matches anywhere in {@code text}, as JSON Schema's unanchored rule. */
  public boolean find(CharSequence text) {
    return compiled.matcher(text).find();
  }

  /** About how many steps matching one character costs: the text's length times this bounds it. */
  public int weight() {
    return weight;
  }

  public String source() {
    return source;
  }

  /**
   * ECMA-262's {@code \\uXXXX} as RE2's {@code \\x{XXXX}}; every other escape is left as it is, so
   * an escaped backslash followed by 'u' stays literal.
   */
  static String translateUnicodeEscapes(String source) {
    if (source.indexOf("\\u") < 0) {
      return source;
    }
    StringBuilder out = new StringBuilder(source.length() + 8);
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '\\' && i + 1 < source.length()) {
        if (source.charAt(i + 1) == 'u' && i + 6 <= source.length() && isHex(source, i + 2, 4)) {
          out.append("\\x{").append(source, i + 2, i + 6).append('}');
          i += 6;
        } else {
          out.append(source, i, i + 2);
          i += 2;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isHex(String text, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return source;
  }
}
