package dev.turnpike.controlplane.alarm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * An owner's alarm on one API stage and its current state.
 *
 * @param metric an {@link AlarmMetric}'s wire name
 * @param comparison a {@link Comparison}'s wire name
 * @param state {@code ok}, {@code firing}, or {@code insufficient_data} while the metric cannot be
 *     read (Prometheus down or refusing the query)
 * @param stateValue the metric's value at the last change of state, null before any and while the
 *     data is insufficient
 * @param signed whether the alarm has a signing secret (alarms made before secrets have none until
 *     it is rotated)
 * @param signingSecret the secret in clear, only in the answer that issued it (create, rotate)
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
    Instant updatedAt,
    boolean signed,
    @JsonInclude(JsonInclude.Include.NON_NULL) String signingSecret) {
  public static final String OK = "ok";
  public static final String FIRING = "firing";
  public static final String INSUFFICIENT_DATA = "insufficient_data";

  /** This alarm carrying its just-issued secret, for the one answer that shows it. */
  public Alarm withSigningSecret(String secret) {
    return new Alarm(
        id,
        apiId,
        name,
        stage,
        metric,
        comparison,
        threshold,
        windowMinutes,
        webhookUrl,
        enabled,
        state,
        stateValue,
        stateChangedAt,
        evaluatedAt,
        createdAt,
        updatedAt,
        true,
        secret);
  }

  @Override
  public String toString() {
    return "Alarm[id=" + id + ", apiId=" + apiId + ", name=" + name + ", state=" + state + "]";
  }

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
        now,
        signed,
        null);
  }
}
