/**
 * Usage events: one per gateway request, rejected ones included, published to Kafka off the request
 * path. {@link dev.turnpike.gateway.usage.UsageEventSink} is what the request handler calls; {@link
 * dev.turnpike.gateway.usage.KafkaUsagePublisher} delivers with an idempotent producer and rides
 * out Kafka outages with the {@link dev.turnpike.gateway.usage.DiskSpool}.
 */
package dev.turnpike.gateway.usage;
