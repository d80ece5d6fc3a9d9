package dev.turnpike.controlplane.alarm;

import java.time.Instant;
import java.util.UUID;

/**
 * One change of an alarm's state, with the value that caused it.
 *
 * @param value null when the metric could not be read
 * @param reason why the metric could not be read ({@code insufficient_data}), else null
 * @param webhook {@code pending} until the call ends, then {@code delivered <status>} or {@code
 *     failed: <why>}
 */
public record AlarmTransition(
    UUID id,
    UUID alarmId,
    Instant at,
    String from,
    String to,
    Double value,
    String reason,
    String webhook) {}
