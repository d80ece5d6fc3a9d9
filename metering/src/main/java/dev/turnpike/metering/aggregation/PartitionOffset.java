package dev.turnpike.metering.aggregation;

/** The next offset to read from one partition, stored with the aggregates it led to. */
public record PartitionOffset(String topic, int partition, long nextOffset) {}
