/**
 * How a gateway node gets its configuration: {@link dev.turnpike.gateway.config.ConfigFeed} reads
 * the compacted config topics from Kafka into immutable {@link
 * dev.turnpike.gateway.config.ConfigState}s, hands each complete one to the gateway, reports when
 * the node may serve, and keeps the last good state in a {@link
 * dev.turnpike.gateway.config.SnapshotFile} so a node can start while Kafka is down.
 */
package dev.turnpike.gateway.config;
