package dev.turnpike.metering.aggregation;

import java.util.UUID;

/** A key used under a plan: what a quota counts for. */
public record KeyPlan(UUID tenantId, String keyId, String planId) {}
