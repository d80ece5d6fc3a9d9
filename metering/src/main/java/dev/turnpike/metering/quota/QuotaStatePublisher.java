package dev.turnpike.metering.quota;

import dev.turnpike.contracts.quota.QuotaState;
import java.util.List;

/** Where quota states go: the compacted {@code turnpike.quota-state} topic. */
public interface QuotaStatePublisher extends AutoCloseable {

  /**
   * Publishes the states and returns once all are acknowledged.
   *
   * @throws RuntimeException when any was not, so the caller tries them again
   */
  void publish(List<QuotaState> states);

  @Override
  void close();
}
