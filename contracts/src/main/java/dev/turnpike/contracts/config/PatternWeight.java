package dev.turnpike.contracts.config;

/**
 * Estimates the size of the program RE2 compiles a pattern into, which bounds what matching one
 * character can cost: an atom or a class is one step, a sequence or an alternation adds its parts,
 * and a counted repetition {@code x{n,m}} multiplies {@code x} by its larger bound, so nesting
 * multiplies. Runs before RE2/J parses the pattern (whose compile time grows with the same size),
 * so it takes any text: every step moves forward, and on anything it does not follow it errs high.
 */
final class PatternWeight {
  private static final int CAP = Integer.MAX_VALUE / 4;

  /** Deeper group nesting is weighed as too much, rather than risking the stack. */
  private static final int MAX_DEPTH = 100;

  private final String pattern;
  private int at;
  private int depth;

  private PatternWeight(String pattern) {
    this.pattern = pattern;
  }

  static int of(String pattern) {
    PatternWeight reader = new PatternWeight(pattern);
    int weight = reader.alternation();
    // A stray ')' cannot occur in a pattern RE2 accepted; count what follows it anyway.
    while (reader.at < pattern.length()) {
      reader.at++;
      weight = add(weight, reader.alternation());
    }
    return weight;
  }

  private int alternation() {
    int weight = sequence();
    while (at < pattern.length() && pattern.charAt(at) == '|') {
      at++;
      weight = add(weight + 1, sequence());
    }
    return weight;
  }

  private int sequence() {
    int weight = 0;
    while (at < pattern.length() && pattern.charAt(at) != '|' && pattern.charAt(at) != ')') {
      weight = add(weight, repeated(atom()));
    }
    return weight;
  }

  private int atom() {
    char c = pattern.charAt(at);
    if (c == '(') {
      at++;
      if (++depth > MAX_DEPTH) {
        at = pattern.length();
        return CAP;
      }
      boolean flagsOnly = skipGroupPrefix();
      int inner = alternation();
      depth--;
      if (at < pattern.length()) {
        at++; // ')'
      }
      return flagsOnly ? inner : Math.max(inner, 1);
    }
    if (c == '[') {
      skipClass();
      return 1;
    }
    if (c == '\\') {
      return escape();
    }
    at++;
    return 1;
  }

  /** Skips {@code ?:}, {@code ?i:}, {@code ?P<name>}, {@code ?<name>}; true for {@code (?i)}. */
  private boolean skipGroupPrefix() {
    if (at >= pattern.length() || pattern.charAt(at) != '?') {
      return false;
    }
    at++;
    if (at < pattern.length() && (pattern.charAt(at) == 'P' || pattern.charAt(at) == '<')) {
      int close = pattern.indexOf('>', at);
      at = close < 0 ? pattern.length() : close + 1;
      return false;
    }
    while (at < pattern.length() && pattern.charAt(at) != ':' && pattern.charAt(at) != ')') {
      at++;
    }
    if (at < pattern.length() && pattern.charAt(at) == ':') {
      at++;
      return false;
    }
    return true;
  }

  private void skipClass() {
    at++; // '['
    if (at < pattern.length() && pattern.charAt(at) == '^') {
      at++;
    }
    if (at < pattern.length() && pattern.charAt(at) == ']') {
      at++; // a leading ']' is a literal
    }
    while (at < pattern.length() && pattern.charAt(at) != ']') {
      if (pattern.charAt(at) == '\\') {
        at += 2;
      } else if (pattern.startsWith("[:", at)) {
        int close = pattern.indexOf(":]", at + 2);
        at = close < 0 ? at + 1 : close + 2;
      } else {
        at++;
      }
    }
    at++; // ']'
  }

  /** One escape: {@code \x{...}}, {@code \p{...}}, {@code \Q...\E} (one step per character). */
  private int escape() {
    at++; // '\'
    if (at >= pattern.length()) {
      return 1;
    }
    char kind = pattern.charAt(at++);
    if (kind == 'Q') {
      int end = pattern.indexOf("\\E", at);
      int literalEnd = end < 0 ? pattern.length() : end;
      int weight = Math.max(literalEnd - at, 1);
      at = end < 0 ? pattern.length() : end + 2;
      return weight;
    }
    if ((kind == 'x' || kind == 'p' || kind == 'P')
        && at < pattern.length()
        && pattern.charAt(at) == '{') {
      int close = pattern.indexOf('}', at);
      at = close < 0 ? pattern.length() : close + 1;
    }
    return 1;
  }

  private int repeated(int weight) {
    if (at >= pattern.length()) {
      return weight;
    }
    char c = pattern.charAt(at);
    int result = weight;
    if (c == '*' || c == '+' || c == '?') {
      at++;
      result = add(weight, 1);
    } else if (c == '{') {
      int bound = countedBound();
      if (bound < 0) {
        return weight; // a literal '{', read as an atom next
      }
      result = multiply(Math.max(weight, 1), Math.max(bound, 1));
    } else {
      return weight;
    }
    if (at < pattern.length() && pattern.charAt(at) == '?') {
      at++; // lazy
    }
    return repeated(result);
  }

  /** For {@code {n}}, {@code {n,}} and {@code {n,m}}: the larger bound ({@code n+1} if open). */
  private int countedBound() {
    int close = pattern.indexOf('}', at);
    if (close < 0) {
      return -1;
    }
    String body = pattern.substring(at + 1, close);
    int comma = body.indexOf(',');
    String low = comma < 0 ? body : body.substring(0, comma);
    String high = comma < 0 ? "" : body.substring(comma + 1);
    if (!isDigits(low) || (!high.isEmpty() && !isDigits(high))) {
      return -1;
    }
    at = close + 1;
    int lowValue = parse(low);
    if (comma < 0) {
      return lowValue;
    }
    return high.isEmpty() ? add(lowValue, 1) : Math.max(lowValue, parse(high));
  }

  private static boolean isDigits(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static int parse(String digits) {
    return digits.length() > 9 ? CAP : Integer.parseInt(digits);
  }

  private static int add(int a, int b) {
    return (int) Math.min((long) a + b, CAP);
  }

  private static int multiply(int a, int b) {
    return (int) Math.min((long) a * b, CAP);
  }
}
