package dev.turnpike.gateway.template;

import com.google.re2j.Pattern;
import dev.turnpike.contracts.config.ValidationPattern;

/**
 * An integration response's {@code selectionPattern}: a tenant's regular expression, matched
 * against the whole backend status or error message ({@code String.matches}' sense). It runs on
 * RE2/J, linear in the text, its program size bounded as request models' patterns are, and the text
 * is cut to {@link #MAX_INPUT} characters: matching costs at most a bounded number of steps
 * whatever the tenant wrote and the backend answered.
 */
final class SelectionPattern {
  /** The most characters of an error message a pattern is matched against. */
  static final int MAX_INPUT = 1024;

  private final Pattern pattern;

  private SelectionPattern(Pattern pattern) {
    this.pattern = pattern;
  }

  /**
   * @throws IllegalArgumentException for a pattern RE2 cannot run or that is too complex
   */
  static SelectionPattern compile(String source) {
    // The shared rule for tenants' patterns: its syntax check and program-size bound.
    ValidationPattern.compile(source);
    return new SelectionPattern(Pattern.compile(source));
  }

  boolean matches(String text) {
    String bounded = text.length() > MAX_INPUT ? text.substring(0, MAX_INPUT) : text;
    return pattern.matches(bounded);
  }
}
