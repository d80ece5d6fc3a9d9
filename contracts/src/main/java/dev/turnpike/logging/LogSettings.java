package dev.turnpike.logging;

import dev.turnpike.settings.SettingsReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How every Turnpike process logs: {@code TURNPIKE_LOG_FORMAT} ({@code text}, the default, or
 * {@code json}: one JSON object per line with the MDC fields) and {@code TURNPIKE_LOG_LEVEL} (the
 * root level, default {@code info}). Logback reads them when it starts (see {@code
 * impl.LogConfigurator}); each service's main also reads them with its other settings so a bad
 * value stops the process at start with a message naming the variable.
 */
public record LogSettings(Format format, String level) {
  public static final String FORMAT = "TURNPIKE_LOG_FORMAT";
  public static final String LEVEL = "TURNPIKE_LOG_LEVEL";
  private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

  /** The shape of a log line. */
  public enum Format {
    TEXT,
    JSON
  }

  public static final LogSettings DEFAULTS = new LogSettings(Format.TEXT, "info");

  /**
   * @throws IllegalArgumentException naming each bad variable
   */
  public static LogSettings fromEnvironment(Map<String, String> environment) {
    SettingsReader reader = new SettingsReader(environment);
    LogSettings settings = read(reader);
    reader.failOnProblems("logging");
    return settings;
  }

  /** Reads both settings, leaving any problem in {@code reader} for its caller to report. */
  public static LogSettings read(SettingsReader reader) {
    String format = reader.oneOf(FORMAT, "text", List.of("text", "json"));
    String level = reader.oneOf(LEVEL, "info", LEVELS);
    return new LogSettings(Format.valueOf(format.toUpperCase(Locale.ROOT)), level);
  }
}
