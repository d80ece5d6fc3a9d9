package dev.turnpike.gateway.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads typed settings from environment-style variables. Every problem names its variable and what
 * was expected, and all problems are reported together, so a bad deployment fails at start with one
 * clear message instead of one error per restart.
 */
final class SettingsReader {
  private final Map<String, String> source;
  private final List<String> problems = new ArrayList<>();

  SettingsReader(Map<String, String> source) {
    this.source = source;
  }

  String string(String key, String fallback) {
    String value = source.get(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  String optional(String key) {
    return string(key, null);
  }

  int integer(String key, int fallback, int min, int max) {
    String value = optional(key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        problems.add(key + " must be between " + min + " and " + max + ", was " + parsed);
        return fallback;
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, was '" + value + "'");
      return fallback;
    }
  }

  long longValue(String key, long fallback, long min, long max) {
    String value = optional(key);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        problems.add(key + " must be between " + min + " and " + max + ", was " + parsed);
        return fallback;
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, was '" + value + "'");
      return fallback;
    }
  }

  double decimal(String key, double fallback, double min) {
    String value = optional(key);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (!(parsed >= min) || Double.isInfinite(parsed)) {
        problems.add(key + " must be a number >= " + min + ", was " + value);
        return fallback;
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a number, was '" + value + "'");
      return fallback;
    }
  }

  Path path(String key, String fallback) {
    return Path.of(string(key, fallback));
  }

  List<String> list(String key, List<String> fallback) {
    String value = optional(key);
    if (value == null) {
      return fallback;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  void problem(String message) {
    problems.add(message);
  }

  /**
   * @throws IllegalArgumentException listing every problem found
   */
  void failOnProblems(String what) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid " + what + " settings:\n  " + String.join("\n  ", problems));
    }
  }
}
