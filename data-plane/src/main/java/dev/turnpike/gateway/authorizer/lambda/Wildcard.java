package dev.turnpike.gateway.authorizer.lambda;

/**
 * IAM's wildcard match, as policy statements use it for actions and resources: {@code *} stands for
 * any run of characters ({@code /} included), {@code ?} for any one. Matched greedily with one
 * backtrack point (the last star), never through a regular expression, which could backtrack
 * exponentially. The greedy walk is at worst the text's length times the pattern's; the patterns
 * come from a tenant's authorizer, so every step is counted against a {@link Steps} budget shared
 * by one policy evaluation, and a policy too costly to evaluate fails rather than being guessed.
 */
final class Wildcard {
  private Wildcard() {}

  /** A step budget for one evaluation; past it {@link TooCostly} is thrown. */
  static final class Steps {
    private long left;

    Steps(long budget) {
      this.left = budget;
    }

    void take() {
      if (--left < 0) {
        throw new TooCostly();
      }
    }
  }

  /** A policy whose matching would cost more than its budget. */
  static final class TooCostly extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooCostly() {
      super("policy too costly to evaluate", null, false, false);
    }
  }

  static boolean matches(String pattern, String text, boolean ignoreCase, Steps steps) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      steps.take();
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || same(pattern.charAt(p), text.charAt(t), ignoreCase))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        // The star first matches nothing; remember where to widen it from.
        star = p++;
        resume = t;
      } else if (star >= 0) {
        // Widen the last star by one character and retry what follows it.
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean same(char a, char b, boolean ignoreCase) {
    return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
  }
}
