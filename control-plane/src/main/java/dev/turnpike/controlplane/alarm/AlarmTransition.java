package dev.turnpike.controlplane.alarm;

import java.time.Instant;
import java.util.UUID;

/**
 * One change of an alarm's state, with the value that caused it.
 *
 * @param webhook {@code pending} until the call ends, then {@code delivered <status>} or {@code
 *     failed: <why>}
 */
public record AlarmTransition(
    UUID id, UUID alarmId, Instant at, String from, String to, double value, String webhook) {}
