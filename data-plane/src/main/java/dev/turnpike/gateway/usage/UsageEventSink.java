package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.usage.UsageEvent;

/**
 * Where the gateway puts the usage event of each request it finished, served or rejected.
 *
 * <p>Called on Vert.x event loops once per request, so an implementation must never block, never
 * throw and do O(1) work with little allocation; delivery happens elsewhere. {@link
 * KafkaUsagePublisher} is the production sink; a test can pass {@code events::add}.
 */
@FunctionalInterface
public interface UsageEventSink {

  /** Takes one event; returns at once whatever happens to Kafka. */
  void emit(UsageEvent event);
}
