package dev.turnpike.metering.billing;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads typed settings from environment-style variables, collecting every problem (each naming its
 * variable) so a bad deployment fails at start with one message.
 */
final class EnvSettings {
  private final Map<String, String> source;
  private final List<String> problems = new ArrayList<>();

  EnvSettings(Map<String, String> source) {
    this.source = source;
  }

  String string(String key, String fallback) {
    String value = source.get(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  int integer(String key, int fallback, int min, int max) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
      problems.add(key + " must be between " + min + " and " + max + ", was " + parsed);
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, was '" + value + "'");
    }
    return fallback;
  }

  /** An ISO-8601 duration such as {@code PT1H}, or a number of seconds. */
  Duration duration(String key, Duration fallback, Duration min) {
    String value = string(key, null);
    if (value == null) {
      return fallback;
    }
    Duration parsed;
    try {
      parsed =
          value.chars().allMatch(Character::isDigit)
              ? Duration.ofSeconds(Long.parseLong(value))
              : Duration.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      problems.add(key + " must be an ISO-8601 duration (PT5M) or seconds, was '" + value + "'");
      return fallback;
    }
    if (parsed.compareTo(min) < 0) {
      problems.add(key + " must be at least " + min + ", was " + parsed);
      return fallback;
    }
    return parsed;
  }

  String url(String key, String fallback) {
    String value = string(key, fallback);
    try {
      URI uri = new URI(value);
      if (uri.isAbsolute()
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return value;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(key + " must be an absolute http(s) URL, was '" + value + "'");
    return fallback;
  }

  void problem(String message) {
    problems.add(message);
  }

  void failOnProblems() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid billing settings:\n  " + String.join("\n  ", problems));
    }
  }
}
