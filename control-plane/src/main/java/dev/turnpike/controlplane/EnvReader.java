package dev.turnpike.controlplane;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads typed settings from environment-style variables. Every problem names its variable and what
 * was expected, and all problems are reported together, so a bad deployment fails at start with one
 * clear message rather than one error per restart.
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
  String secret(String key) {
    String value = source.get(key);
    if (value == null) {
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

  boolean bool(String key, boolean fallback) {
    String value = string(key, null);
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

  /** An absolute http(s) URL, or null when it is missing (a problem only when required). */
  String url(String key, String fallback, boolean required) {
    String value = string(key, fallback);
    if (value == null) {
      if (required) {
        problems.add(key + " is required: an absolute http(s) URL");
      }
      return null;
    }
    try {
      URI uri = new URI(value);
      if (!uri.isAbsolute()
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        problems.add(key + " must be an absolute http(s) URL, was '" + value + "'");
      }
    } catch (java.net.URISyntaxException e) {
      problems.add(key + " must be an absolute http(s) URL, was '" + value + "'");
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
