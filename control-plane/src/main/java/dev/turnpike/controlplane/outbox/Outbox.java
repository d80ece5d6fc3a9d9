package dev.turnpike.controlplane.outbox;

/**
 * The transactional outbox: a record written here commits with the change that caused it, and the
 * {@link OutboxRelay} publishes it to Kafka afterwards, in the order written.
 */
public interface Outbox {
  /**
   * @param payload the record's bytes, or null for a tombstone
   */
  void append(String topic, String key, byte[] payload);
}
