package dev.turnpike.metering.aggregation;

import java.util.Set;

/**
 * What a committed batch counted.
 *
 * @param counted events counted for the first time
 * @param duplicates events whose id was already counted (in this batch or within the dedup window)
 * @param rows aggregate rows written, over all granularities
 * @param keyPlans keys whose quota the batch may have moved
 */
public record CommitResult(int counted, int duplicates, int rows, Set<KeyPlan> keyPlans) {}
