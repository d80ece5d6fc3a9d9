package dev.turnpike.metering.aggregation;

import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * How the consumer loop reacts to a failure: the three classes Kafka's own consumer example tells
 * apart.
 */
public enum ConsumerFailureClass {
  /** Position unknown or outside the log: seek (to the stored offset, or by the reset policy). */
  OFFSET,
  /** Transient (broker or database unavailable, conflict): rewind to the batch and back off. */
  RETRYABLE,
  /** Misconfiguration, lost authorization, a schema the code does not know: stop the service. */
  FATAL;

  public static ConsumerFailureClass of(Throwable failure) {
    if (failure instanceof InvalidOffsetException) {
      return OFFSET;
    }
    if (failure instanceof StoreFailure store) {
      return store.retryable() ? RETRYABLE : FATAL;
    }
    if (failure instanceof RetriableException) {
      return RETRYABLE;
    }
    return FATAL;
  }
}
