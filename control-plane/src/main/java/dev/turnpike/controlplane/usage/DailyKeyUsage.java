package dev.turnpike.controlplane.usage;

import java.time.LocalDate;

/**
 * One key's use under one plan on one UTC day, summed over APIs and stages.
 *
 * @param quotaCalls calls that count towards the quota: all but those the gateway turned away at
 *     its throttle or quota gate
 */
public record DailyKeyUsage(
    String keyId,
    String planId,
    LocalDate day,
    long calls,
    long quotaCalls,
    long errors4xx,
    long errors5xx,
    long throttled,
    long quotaExceeded) {}
