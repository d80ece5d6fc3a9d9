/**
 * Exactly-once usage aggregation: {@link dev.turnpike.metering.aggregation.UsageConsumer} reads
 * {@code turnpike.usage} and commits each partition's batch (dedup claims in {@code
 * processed_events}, additive upserts into {@code usage_aggregates} per minute, hour, day and
 * month, the keys' {@code last_used_at} and the consumer offsets) in one PostgreSQL transaction
 * through the {@link dev.turnpike.metering.aggregation.AggregationStore} port.
 */
package dev.turnpike.metering.aggregation;
