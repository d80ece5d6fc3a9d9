package dev.turnpike.gateway.config;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.json.ContractDecodingException;
import dev.turnpike.contracts.json.Versioned;
import dev.turnpike.contracts.quota.QuotaState;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The configuration as read from Kafka so far, owned by the feed thread. It is only turned into a
 * {@link ConfigState} when the feed publishes, so catching up through many poll batches never
 * copies the maps batch by batch.
 */
final class WorkingConfig {
  private final RecordTable<DeploymentSnapshot> deployments =
      new RecordTable<>(DeploymentSnapshot.CODEC);
  private final RecordTable<KeyRecord> keys =
      new RecordTable<>(KeyRecord.CODEC, KeyRecord::keyHash);
  private final RecordTable<PlanRecord> plans = new RecordTable<>(PlanRecord.CODEC);
  private final RecordTable<QuotaState> quotaStates = new RecordTable<>(QuotaState.CODEC);
  private final RecordTable<DomainRecord> domains = new RecordTable<>(DomainRecord.CODEC);
  private final Map<String, RecordTable<?>> tablesByTopic;
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private long version;
  private boolean wholeLastFrozen;

  /**
   * @param baseVersion the version of the last state published before this one, so versions keep
   *     growing across a cold start from the snapshot file
   */
  WorkingConfig(ConfigTopics topics, long baseVersion) {
    this.tablesByTopic =
        Map.of(
            topics.deployments(), deployments,
            topics.keys(), keys,
            topics.plans(), plans,
            topics.quotaState(), quotaStates,
            topics.domains(), domains);
    this.version = baseVersion;
  }

  /**
   * @return whether the configuration changed
   * @throws ContractDecodingException if the record has no key or its value does not decode
   */
  boolean apply(ConsumerRecord<String, byte[]> record) {
    return decode(record).apply();
  }

  /**
   * Decodes a record for {@link Decoded#apply}; thread-safe, so a cold start decodes a poll batch
   * on several threads and applies it in order on the feed thread.
   *
   * @throws ContractDecodingException if the record has no key or its value does not decode
   */
  Decoded<?> decode(ConsumerRecord<String, byte[]> record) {
    RecordTable<?> table = tablesByTopic.get(record.topic());
    if (table == null) {
      throw new IllegalStateException("Not a config topic: " + record.topic());
    }
    if (record.key() == null) {
      throw new ContractDecodingException("record has no key");
    }
    return Decoded.of(table, record.key(), record.value());
  }

  /** A record's value decoded for its table, not applied yet. */
  record Decoded<T extends Versioned>(RecordTable<T> table, String key, T value) {
    private static <T extends Versioned> Decoded<T> of(
        RecordTable<T> table, String key, byte[] value) {
      return new Decoded<>(table, key, table.decode(value));
    }

    /**
     * Applies it to the working config (feed thread only).
     *
     * @return whether the configuration changed
     */
    boolean apply() {
      return table.applyDecoded(key, value);
    }
  }

  /**
   * @return whether the position moved
   */
  boolean position(TopicPartition partition, long offset) {
    Long previous = positions.put(partition, offset);
    return previous == null || previous != offset;
  }

  /** The next offset to read, or null before the partition's position is known. */
  Long positionOf(TopicPartition partition) {
    return positions.get(partition);
  }

  Map<TopicPartition, Long> positions() {
    return Map.copyOf(positions);
  }

  /** A new immutable state with the next version; what it changed is {@link #lastChanges}. */
  ConfigState freeze() {
    version++;
    wholeLastFrozen = false;
    return new ConfigState(
        version,
        deployments.freeze(),
        keys.freeze(),
        plans.freeze(),
        quotaStates.freeze(),
        domains.freeze(),
        positions);
  }

  /**
   * {@link #freeze} for a state its listener takes whole ({@link ConfigChanges#everything}, as when
   * a cold start has caught up): the changed keys are not listed, which at SaaS scale was a copy of
   * every key. {@link #lastChanges} then says everything.
   */
  ConfigState freezeWhole() {
    version++;
    wholeLastFrozen = true;
    return new ConfigState(
        version,
        deployments.freezeWhole(),
        keys.freezeWhole(),
        plans.freezeWhole(),
        quotaStates.freezeWhole(),
        domains.freezeWhole(),
        positions);
  }

  /** The records the last freeze changed; everything after {@link #freezeWhole}. */
  ConfigChanges lastChanges() {
    if (wholeLastFrozen) {
      return ConfigChanges.everything();
    }
    return new ConfigChanges(
        false,
        deployments.lastChanged(),
        keys.lastChanged(),
        plans.lastChanged(),
        quotaStates.lastChanged(),
        domains.lastChanged());
  }
}
