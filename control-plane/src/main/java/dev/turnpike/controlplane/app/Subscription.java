package dev.turnpike.controlplane.app;

import java.time.Instant;
import java.util.UUID;

/**
 * An app's subscription to a usage plan. Only {@code active} subscriptions put the plan on the
 * app's keys.
 */
public record Subscription(
    UUID id,
    UUID appId,
    UUID planId,
    String status,
    Instant startedAt,
    Instant endedAt,
    Instant createdAt,
    Instant updatedAt) {}
