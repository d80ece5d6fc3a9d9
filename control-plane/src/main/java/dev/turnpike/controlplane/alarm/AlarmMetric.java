package dev.turnpike.controlplane.alarm;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an alarm watches, each computed from metering's minute aggregates of one API stage over the
 * alarm's window. Rates and latencies are 0 in a window without calls.
 */
public enum AlarmMetric {
  REQUESTS("requests"),
  ERRORS_4XX("errors_4xx"),
  ERRORS_5XX("errors_5xx"),
  /** 5xx answers as a percentage of calls. */
  ERROR_RATE_5XX("error_rate_5xx"),
  LATENCY_MEAN_MS("latency_mean_ms"),
  LATENCY_MAX_MS("latency_max_ms");

  private final String name;

  AlarmMetric(String name) {
    this.name = name;
  }

  public String wireName() {
    return name;
  }

  public static Optional<AlarmMetric> of(String name) {
    return Arrays.stream(values()).filter(m -> m.name.equals(name)).findFirst();
  }

  /** The metric's value from a window's totals. */
  public double valueOf(WindowTotals t) {
    return switch (this) {
      case REQUESTS -> t.calls();
      case ERRORS_4XX -> t.clientErrors();
      case ERRORS_5XX -> t.serverErrors();
      case ERROR_RATE_5XX -> t.calls() == 0 ? 0 : 100.0 * t.serverErrors() / t.calls();
      case LATENCY_MEAN_MS -> t.calls() == 0 ? 0 : t.latencySumMicros() / 1000.0 / t.calls();
      case LATENCY_MAX_MS -> t.latencyMaxMicros() / 1000.0;
    };
  }

  /** A stage's calls in an alarm's window, as metering counted them. */
  public record WindowTotals(
      long calls,
      long clientErrors,
      long serverErrors,
      long latencySumMicros,
      long latencyMaxMicros) {}
}
