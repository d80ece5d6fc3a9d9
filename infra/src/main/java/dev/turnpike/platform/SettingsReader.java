package dev.turnpike.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code TURNPIKE_*} variables with defaults and collects every problem, so a bad setting
 * stops the launcher with one message that names each variable at fault.
 */
final class SettingsReader {
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  SettingsReader(Map<String, String> env) {
    this.env = env;
  }

  /** The trimmed value, or null when unset or blank. */
  String optional(String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  String string(String key, String fallback) {
    String value = optional(key);
    return value == null ? fallback : value;
  }

  /** Required only when {@code needed}; a missing one is a problem naming {@code why}. */
  String requiredIf(boolean needed, String key, String why) {
    String value = optional(key);
    if (needed && value == null) {
      problems.add(key + " is required " + why);
    }
    return value;
  }

  int port(String key, int fallback) {
    return integer(key, fallback, 1, 65_535);
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

  boolean bool(String key, boolean fallback) {
    String value = optional(key);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> {
        problems.add(key + " must be true or false, was '" + value + "'");
        yield fallback;
      }
    };
  }

  /** An http(s) URL without a trailing slash, or null when unset. */
  String httpUrl(String key) {
    String value = optional(key);
    if (value == null) {
      return null;
    }
    if (!value.startsWith("http://") && !value.startsWith("https://")) {
      problems.add(key + " must be an http:// or https:// URL, was '" + value + "'");
      return null;
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  void problem(String message) {
    problems.add(message);
  }

  /**
   * @throws IllegalArgumentException listing every problem found
   */
  void failOnProblems() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the platform settings are not valid:\n  " + String.join("\n  ", problems));
    }
  }
}
