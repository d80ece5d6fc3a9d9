package dev.turnpike.controlplane.alarm;

import java.time.Instant;
import java.util.UUID;

/**
 * An owner's alarm on one API stage and its current state.
 *
 * @param metric an {@link AlarmMetric}'s wire name
 * @param comparison a {@link Comparison}'s wire name
 * @param state {@code ok} or {@code firing}
 * @param stateValue the metric's value at the last change of state, null before any
 */
public record Alarm(
    UUID id,
    UUID apiId,
    String name,
    String stage,
    String metric,
    String comparison,
    double threshold,
    int windowMinutes,
    String webhookUrl,
    boolean enabled,
    String state,
    Double stateValue,
    Instant stateChangedAt,
    Instant evaluatedAt,
    Instant createdAt,
    Instant updatedAt) {
  public static final String OK = "ok";
  public static final String FIRING = "firing";

  /** The same alarm with what the owner stated replaced; its state is kept. */
  Alarm restated(AlarmSpec in, Instant now) {
    return new Alarm(
        id,
        apiId,
        in.name(),
        in.stage(),
        in.metric(),
        in.comparison(),
        in.threshold(),
        in.windowMinutes(),
        in.webhookUrl(),
        in.enabledOrDefault(),
        state,
        stateValue,
        stateChangedAt,
        evaluatedAt,
        createdAt,
        now);
  }
}
