package dev.turnpike.controlplane.outbox;

import java.util.UUID;

/**
 * The transactional outbox: a record written here commits with the change that caused it, and the
 * {@link OutboxRelay} publishes it to Kafka afterwards, in the order written.
 */
public interface Outbox {
  /**
   * @param payload the record's bytes, or null for a tombstone
   */
  default void append(String topic, String key, byte[] payload) {
    append(topic, key, payload, null);
  }

  /**
   * @param deploymentId the deployment a stage snapshot carries, whose delivery its owner follows;
   *     null for every other record
   */
  void append(String topic, String key, byte[] payload, UUID deploymentId);
}
