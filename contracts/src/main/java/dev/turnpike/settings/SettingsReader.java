package dev.turnpike.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads every service's typed settings from environment-style variables. Every problem names its
 * variable and what was expected, and all problems are reported together by {@link
 * #failOnProblems}, so a bad deployment fails at start with one clear message rather than one error
 * per restart. A value that is unset or blank counts as absent.
 */
public final class SettingsReader {
  private final Map<String, String> source;
  private final List<String> problems = new ArrayList<>();

  public SettingsReader(Map<String, String> source) {
    this.source = source;
  }

  /** The trimmed value, or null when unset or blank. */
  public String optional(String key) {
    String value = source.get(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  public String string(String key, String fallback) {
    String value = optional(key);
    return value == null ? fallback : value;
  }

  /** A missing value is a problem saying what the variable is for. */
  public String required(String key, String what) {
    String value = optional(key);
    if (value == null) {
      problems.add(key + " is required: " + what);
    }
    return value;
  }

  /** Required only when {@code needed}; a missing one is a problem naming {@code why}. */
  public String requiredIf(boolean needed, String key, String why) {
    String value = optional(key);
    if (needed && value == null) {
      problems.add(key + " is required " + why);
    }
    return value;
  }

  /**
   * The value as given (a secret is never trimmed nor shown in a problem). A placeholder or demo
   * value published with Turnpike ({@link PublishedSecrets}) is a problem.
   */
  public String secret(String key, boolean required) {
    String value = source.get(key);
    if (value == null && required) {
      problems.add(key + " is required");
    }
    return unpublished(key, value);
  }

  /** {@code value} read from {@code key}; a problem when it is a published placeholder. */
  public String unpublished(String key, String value) {
    if (PublishedSecrets.isPublished(value)) {
      problems.add(PublishedSecrets.problem(key));
    }
    return value;
  }

  /** How this service's Kafka clients authenticate and encrypt; see {@link KafkaSecurity}. */
  public KafkaSecurity kafkaSecurity() {
    return KafkaSecurity.read(this);
  }

  public int integer(String key, int fallback, int min, int max) {
    return (int) longValue(key, fallback, min, max);
  }

  public long longValue(String key, long fallback, long min, long max) {
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

  public int port(String key, int fallback) {
    return integer(key, fallback, 1, 65_535);
  }

  public Duration millis(String key, long fallback, long min, long max) {
    return Duration.ofMillis(longValue(key, fallback, min, max));
  }

  public Duration seconds(String key, long fallback, long min, long max) {
    return Duration.ofSeconds(longValue(key, fallback, min, max));
  }

  public double decimal(String key, double fallback, double min) {
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

  public boolean bool(String key, boolean fallback) {
    String value = optional(key);
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
  public String oneOf(String key, String fallback, List<String> allowed) {
    String value = string(key, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      problems.add(key + " must be one of " + allowed + ", was '" + value + "'");
      return fallback;
    }
    return value;
  }

  public Path path(String key, String fallback) {
    return Path.of(string(key, fallback));
  }

  /** A comma-separated list, its items trimmed and empty ones dropped. */
  public List<String> list(String key, List<String> fallback) {
    String value = optional(key);
    if (value == null) {
      return fallback;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * An absolute http(s) URL as given, or null when it is missing (a problem only when required).
   */
  public String url(String key, String fallback, boolean required) {
    String value = string(key, fallback);
    if (value == null) {
      if (required) {
        problems.add(key + " is required: an absolute http(s) URL");
      }
      return null;
    }
    if (!isHttpUrl(value)) {
      problems.add(key + " must be an absolute http(s) URL, was '" + value + "'");
    }
    return value;
  }

  /** An optional absolute http(s) URL without a trailing slash, or null when unset or invalid. */
  public String httpUrl(String key) {
    String value = url(key, null, false);
    if (value == null || !isHttpUrl(value)) {
      return null;
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return uri.isAbsolute()
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  public void problem(String message) {
    problems.add(message);
  }

  /**
   * @param what whose settings, for the message (e.g. {@code gateway node})
   * @throws IllegalArgumentException listing every problem found
   */
  public void failOnProblems(String what) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid " + what + " settings:\n  " + String.join("\n  ", problems));
    }
  }
}
