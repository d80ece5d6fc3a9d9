package dev.turnpike.contracts.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A stage's traces, as API Gateway's {@code tracingEnabled} on a stage plus the share of requests
 * traced (X-Ray's sampling rule, here a plain percentage). A gateway node traces no more than its
 * operator's ceiling allows, and nothing when it has no collector to export to.
 *
 * @param tracingEnabled whether the gateway starts and continues traces for this stage
 * @param samplingPercentage the share of requests without a sampled client {@code traceparent} that
 *     start a trace, 0..100; a client's sampled {@code traceparent} is followed whatever it is
 */
public record StageTracing(boolean tracingEnabled, double samplingPercentage) {
  /** API Gateway's default: no traces. */
  public static final StageTracing OFF = new StageTracing(false, 0);

  /** X-Ray's default rule traces 5% of requests (beyond the first each second). */
  public static final double DEFAULT_SAMPLING_PERCENTAGE = 5;

  /** The fraction of requests to sample, 0..1: 0 when tracing is off. */
  public double sampleRate() {
    return tracingEnabled ? samplingPercentage / 100.0 : 0;
  }

  /** What is wrong with these settings, as JSON pointers below the stage and messages. */
  public List<String[]> problems() {
    List<String[]> problems = new ArrayList<>();
    if (!(samplingPercentage >= 0 && samplingPercentage <= 100)) {
      problems.add(new String[] {"/tracing/samplingPercentage", "must be between 0 and 100"});
    }
    return problems;
  }
}
