package dev.turnpike.metering.aggregation;

import java.time.Instant;
import java.util.Set;

/**
 * What a committed batch counted.
 *
 * @param counted events counted for the first time
 * @param duplicates events whose id was already counted (in this batch or within the dedup window)
 * @param rows aggregate rows written, over all granularities
 * @param keyPlans keys whose quota the batch may have moved
 * @param newestEvent the latest time among the counted events, null when none was counted
 */
public record CommitResult(
    int counted, int duplicates, int rows, Set<KeyPlan> keyPlans, Instant newestEvent) {}
