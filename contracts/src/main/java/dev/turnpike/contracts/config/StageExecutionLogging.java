package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A stage's execution logs, as API Gateway's stage-wide method settings {@code loggingLevel} and
 * {@code dataTraceEnabled}: what the gateway writes about how it ran each request, beside the
 * access log's one line.
 *
 * @param loggingLevel {@link Level#INFO} writes every request's lines, {@link Level#ERROR} only
 *     those of requests answered 4xx or 5xx, {@link Level#OFF} none
 * @param dataTraceEnabled whether the lines also carry the request and response bodies, each
 *     truncated to {@link #MAX_BODY_BYTES}; nothing without a level
 */
public record StageExecutionLogging(Level loggingLevel, boolean dataTraceEnabled) {
  /** API Gateway's default: no execution logs. */
  public static final StageExecutionLogging OFF = new StageExecutionLogging(Level.OFF, false);

  /** API Gateway truncates each body in execution logs at 1 KB. */
  public static final int MAX_BODY_BYTES = 1024;

  /** API Gateway's {@code loggingLevel} values. */
  public enum Level {
    OFF,
    ERROR,
    INFO
  }

  public StageExecutionLogging {
    loggingLevel = loggingLevel == null ? Level.OFF : loggingLevel;
  }

  /** Whether the gateway writes anything for the stage. */
  @JsonIgnore
  public boolean isOn() {
    return loggingLevel != Level.OFF;
  }

  /** The settings as a snapshot carries them: null when off, so the record is written as before. */
  public StageExecutionLogging orNullWhenOff() {
    return isOn() ? this : null;
  }
}
