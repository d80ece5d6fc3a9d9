package dev.turnpike.gateway.authorizer.lambda;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A TOKEN authorizer's {@code identityValidationExpression}: a Java regular expression the whole
 * token must match before the authorizer is called, compiled once per deployment.
 *
 * <p>The expression is a tenant's and runs on the event loop, where a backtracking engine could
 * spend seconds on one crafted token. So the match is bounded three ways: the token may be at most
 * {@link #MAX_TOKEN_CHARS} long; the matcher reads it through a {@link BudgetedText} that stops the
 * match after {@code 1,000 + 8 × length} character reads, at most {@link #MAX_READS} (backtracking
 * re-reads the text, so this caps it: about 2 ms of one core at worst, where a plain expression
 * reads each character once or twice); and work that reads no text, the iterations counted
 * repetitions force on empty matches ({@code ((){1000}){1000}}), is capped when the expression is
 * compiled: counted repetitions may multiply to at most {@link #MAX_REPETITION_PRODUCT}. A token
 * that exceeds a bound does not match (401), as a token the expression refuses.
 */
final class TokenPattern {
  static final int MAX_TOKEN_CHARS = 8192;
  static final int MAX_EXPRESSION_CHARS = 1024;
  static final int MAX_REPETITION_PRODUCT = 100;
  static final long MAX_READS = 40_000;

  private final Pattern pattern;

  private TokenPattern(Pattern pattern) {
    this.pattern = pattern;
  }

  /**
   * @throws IllegalArgumentException when the expression does not compile or is too costly
   */
  static TokenPattern compile(String expression) {
    if (expression.length() > MAX_EXPRESSION_CHARS) {
      throw new IllegalArgumentException(
          "identityValidationExpression is longer than " + MAX_EXPRESSION_CHARS + " characters");
    }
    int product = repetitionProduct(expression);
    if (product > MAX_REPETITION_PRODUCT) {
      throw new IllegalArgumentException(
          "identityValidationExpression's counted repetitions multiply to "
              + product
              + ", at most "
              + MAX_REPETITION_PRODUCT
              + " are allowed");
    }
    try {
      return new TokenPattern(Pattern.compile(expression));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "identityValidationExpression does not compile: " + e.getDescription(), e);
    }
  }

  /** Whether the whole token matches, within the bounds; false past any of them. */
  boolean matches(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return false;
    }
    BudgetedText text = new BudgetedText(token, Math.min(1_000 + 8L * token.length(), MAX_READS));
    try {
      return pattern.matcher(text).matches();
    } catch (BudgetedText.Exhausted e) {
      return false;
    } catch (StackOverflowError e) {
      // java.util.regex recurses per repetition; the stack it unwinds held nothing but the match.
      return false;
    }
  }

  /**
   * The largest product of nested counted-repetition bounds in {@code expression} ({@code (a{10})
   * {20}} is 200), lookarounds included; an unbounded {@code {n,}} counts {@code n + 1}. Loops
   * without a count ({@code *}, {@code +}) count 1: Java ends their iterations on an empty match.
   */
  static int repetitionProduct(String expression) {
    Deque<long[]> groups = new ArrayDeque<>();
    long[] top = {1};
    int at = 0;
    while (at < expression.length()) {
      char c = expression.charAt(at);
      long atom;
      if (c == '(') {
        groups.push(top);
        top = new long[] {1};
        at++;
        continue;
      } else if (c == ')') {
        atom = top[0];
        top = groups.isEmpty() ? new long[] {1} : groups.pop();
        at++;
      } else if (c == '\\') {
        at = skipEscape(expression, at);
        atom = 1;
      } else if (c == '[') {
        at = skipClass(expression, at);
        atom = 1;
      } else {
        at++;
        atom = 1;
      }
      long[] quantified = quantifier(expression, at);
      at = (int) quantified[1];
      top[0] = Math.max(top[0], Math.min(atom * quantified[0], Integer.MAX_VALUE));
    }
    long result = top[0];
    while (!groups.isEmpty()) {
      result = Math.max(result, groups.pop()[0]);
    }
    return (int) Math.min(result, Integer.MAX_VALUE);
  }

  /** {multiplier, next index} for the quantifier at {@code at}, if any. */
  private static long[] quantifier(String expression, int at) {
    if (at >= expression.length() || expression.charAt(at) != '{') {
      return new long[] {1, at};
    }
    int close = expression.indexOf('}', at);
    if (close < 0) {
      return new long[] {1, at};
    }
    String body = expression.substring(at + 1, close);
    int comma = body.indexOf(',');
    String low = comma < 0 ? body : body.substring(0, comma);
    String high = comma < 0 ? "" : body.substring(comma + 1).trim();
    if (!digits(low.trim()) || (!high.isEmpty() && !digits(high))) {
      return new long[] {1, at};
    }
    long lowValue = number(low.trim());
    long bound = comma < 0 ? lowValue : high.isEmpty() ? lowValue + 1 : number(high);
    return new long[] {Math.max(bound, 1), close + 1};
  }

  private static int skipEscape(String expression, int at) {
    int next = at + 1;
    if (next >= expression.length()) {
      return next;
    }
    char kind = expression.charAt(next);
    if (kind == 'Q') {
      int end = expression.indexOf("\\E", next);
      return end < 0 ? expression.length() : end + 2;
    }
    if ("pPxNk".indexOf(kind) >= 0
        && next + 1 < expression.length()
        && (expression.charAt(next + 1) == '{' || expression.charAt(next + 1) == '<')) {
      char closer = expression.charAt(next + 1) == '{' ? '}' : '>';
      int end = expression.indexOf(closer, next + 1);
      return end < 0 ? expression.length() : end + 1;
    }
    return next + 1;
  }

  /** Java classes nest ({@code [a-z&&[^q]]}); a {@code ]} right after the opening is literal. */
  private static int skipClass(String expression, int at) {
    int depth = 0;
    int i = at;
    while (i < expression.length()) {
      char c = expression.charAt(i);
      if (c == '\\') {
        i = skipEscape(expression, i);
        continue;
      }
      if (c == '[') {
        depth++;
        i++;
        if (i < expression.length() && expression.charAt(i) == '^') {
          i++;
        }
        if (i < expression.length() && expression.charAt(i) == ']') {
          i++;
        }
        continue;
      }
      if (c == ']' && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return i;
  }

  private static boolean digits(String text) {
    return !text.isEmpty() && text.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  private static long number(String digits) {
    return digits.length() > 9 ? Integer.MAX_VALUE : Long.parseLong(digits);
  }

  /** The token as the matcher reads it, every character read counted against a budget. */
  static final class BudgetedText implements CharSequence {
    private final String text;
    private final long[] left;

    BudgetedText(String text, long budget) {
      this(text, new long[] {budget});
    }

    private BudgetedText(String text, long[] left) {
      this.text = text;
      this.left = left;
    }

    @Override
    public char charAt(int index) {
      if (--left[0] < 0) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      // Shares the budget: a group's text read through a slice still counts.
      return new BudgetedText(text.substring(start, end), left);
    }

    @Override
    public String toString() {
      return text;
    }

    /** The budget ran out: the match stops here. */
    static final class Exhausted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exhausted() {
        super("regular expression budget exhausted", null, false, false);
      }
    }
  }
}
