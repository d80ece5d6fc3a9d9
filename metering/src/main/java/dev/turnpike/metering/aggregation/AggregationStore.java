package dev.turnpike.metering.aggregation;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Where aggregates, consumer positions and the dedup record live. One {@link #commit} is one
 * transaction: either the batch's events are counted and the positions after them stored, or
 * neither happened.
 */
public interface AggregationStore {

  /**
   * Counts the batch's events whose ids were not counted before, adds them to the aggregates, moves
   * the keys' last use forward and stores the consumer group's next offsets, atomically.
   *
   * @throws StoreFailure when nothing was committed
   */
  CommitResult commit(String consumerGroup, UsageBatch batch);

  /**
   * The stored next offsets of {@code consumerGroup} for the given partitions of {@code topic};
   * partitions never committed are absent.
   *
   * @throws StoreFailure when they cannot be read
   */
  Map<Integer, Long> storedOffsets(
      String consumerGroup, String topic, Collection<Integer> partitions);

  /**
   * Forgets up to {@code limit} event ids counted before {@code cutoff}; a redelivery of them after
   * that would count again, which is why the window must exceed any producer's retry span.
   *
   * @return how many were forgotten
   */
  int forgetEventsBefore(Instant cutoff, int limit);
}
