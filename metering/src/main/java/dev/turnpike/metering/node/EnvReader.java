package dev.turnpike.metering.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed settings from environment-style variables. Every problem names its variable and what
 * was expected, and all are reported together, so a bad deployment fails at start with one clear
 * message.
 */
final class EnvReader {
  private final Map<String, String> source;
  private final List<String> problems = new ArrayList<>();

  EnvReader(Map<String, String> source) {
    this.source = source;
  }

  String string(String key, String fallback) {
    String value = source.get(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  String required(String key, String what) {
    String value = string(key, null);
    if (value == null) {
      problems.add(key + " is required: " + what);
    }
    return value;
  }

  /** Like {@link #string}, but a secret's value never appears in a problem. */
  String secret(String key, boolean required) {
    String value = source.get(key);
    if (value == null && required) {
      problems.add(key + " is required");
    }
    return value;
  }

  int integer(String key, int fallback, int min, int max) {
    String value = string(key, null);
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

  Duration millis(String key, long fallback, long min, long max) {
    return Duration.ofMillis(integer(key, (int) fallback, (int) min, (int) max));
  }

  Duration seconds(String key, long fallback, long min, long max) {
    return Duration.ofSeconds(integer(key, (int) fallback, (int) min, (int) max));
  }

  boolean bool(String key, boolean fallback) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> {
        problems.add(key + " must be true or false, was '" + value + "'");
        yield fallback;
      }
    };
  }

  /** One of {@code allowed} (case-insensitive), returned in lower case. */
  String oneOf(String key, String fallback, List<String> allowed) {
    String value = string(key, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      problems.add(key + " must be one of " + allowed + ", was '" + value + "'");
      return fallback;
    }
    return value;
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
