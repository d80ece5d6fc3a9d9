/**
 * Which gateway nodes are alive now, learned by the nodes themselves: each one heartbeats on a
 * small compacted Kafka topic and reads everyone's heartbeats, so that limits are re-shared among
 * the live nodes ({@link dev.turnpike.gateway.runtime.LimiterRegistry#nodeCount(int)}) and
 * {@code @connections} calls find the node that holds a connection.
 */
package dev.turnpike.gateway.cluster;
