package dev.turnpike.gateway.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions of the config topics the feed reads, assigned without a consumer group.
 *
 * <p>A topic that does not exist yet is read as empty: a new platform has no deployments until the
 * control plane publishes one, and the quota-state topic appears only once metering runs, so
 * waiting for them would keep every node unready. The missing topics are looked up again every
 * refresh interval (one metadata request each, no busy loop) and read from their beginning once
 * they appear. Partitions added to an existing topic are picked up only when the consumer's
 * metadata refreshes ({@code metadata.max.age.ms}); config topics are not meant to be resized,
 * since that moves keys between partitions.
 */
final class TopicAssignment {
  private final Set<String> missingTopics;
  private final long refreshNanos;
  private boolean answered;
  private long nextLookNanos;

  TopicAssignment(List<String> topics, Duration refreshInterval) {
    this.missingTopics = new LinkedHashSet<>(topics);
    this.refreshNanos = refreshInterval.toNanos();
  }

  /** Whether Kafka has answered a lookup of all topics at least once. */
  boolean answered() {
    return answered;
  }

  /** Whether it is time to look for topics: before Kafka first answered, or a refresh is due. */
  boolean lookupDue(long nowNanos) {
    return !answered || (!missingTopics.isEmpty() && nowNanos - nextLookNanos >= 0);
  }

  /**
   * Looks up the missing topics; assigns the partitions of those that now exist, positioned at
   * their beginning, next to the partitions already assigned. Every call to Kafka happens before
   * anything changes, so a failure leaves the assignment as it was.
   *
   * @return the offset each new partition has to be read up to for the feed to be caught up, for
   *     partitions that are not empty
   */
  Map<TopicPartition, Long> assignNewPartitions(
      Consumer<?, ?> consumer, Duration timeout, long nowNanos) {
    nextLookNanos = nowNanos + refreshNanos;
    Set<TopicPartition> found = new HashSet<>();
    Set<String> foundTopics = new HashSet<>();
    for (String topic : missingTopics) {
      // Empty when the topic does not exist (auto-creation is off); throws when Kafka is down.
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
      for (PartitionInfo info : partitions) {
        found.add(new TopicPartition(info.topic(), info.partition()));
        foundTopics.add(topic);
      }
    }
    Map<TopicPartition, Long> targets = new HashMap<>();
    if (!found.isEmpty()) {
      Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(found, timeout);
      Map<TopicPartition, Long> ends = consumer.endOffsets(found, timeout);
      Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
      assignment.addAll(found);
      consumer.assign(assignment);
      consumer.seekToBeginning(found);
      for (TopicPartition partition : found) {
        long end = ends.getOrDefault(partition, 0L);
        if (end > beginnings.getOrDefault(partition, 0L)) {
          targets.put(partition, end);
        }
      }
    }
    missingTopics.removeAll(foundTopics);
    answered = true;
    return targets;
  }

  Set<String> missingTopics() {
    return Set.copyOf(missingTopics);
  }
}
