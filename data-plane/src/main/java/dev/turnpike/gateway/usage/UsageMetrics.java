package dev.turnpike.gateway.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The publisher's meters. With the Prometheus naming convention they read {@code
 * turnpike_usage_events_sent_total}, {@code turnpike_usage_events_spooled_total}, {@code
 * turnpike_usage_events_dropped_total{reason}}, {@code turnpike_usage_spool_bytes}, {@code
 * turnpike_usage_spool_events}, {@code turnpike_usage_queue_events} and {@code
 * turnpike_usage_kafka_healthy}. Removed again on close, so a publisher started later on the same
 * registry reports its own state.
 */
final class UsageMetrics implements AutoCloseable {
  static final String SENT = "turnpike.usage.events.sent";
  static final String SPOOLED = "turnpike.usage.events.spooled";
  static final String DROPPED = "turnpike.usage.events.dropped";
  static final String SPOOL_BYTES = "turnpike.usage.spool";
  static final String SPOOL_EVENTS = "turnpike.usage.spool.events";
  static final String QUEUE_EVENTS = "turnpike.usage.queue.events";
  static final String KAFKA_HEALTHY = "turnpike.usage.kafka.healthy";

  /** Why an event was lost, the {@code reason} tag of {@link #DROPPED}. */
  static final String SPOOL_FULL = "spool_full";

  static final String QUEUE_FULL = "queue_full";
  static final String REJECTED_BY_KAFKA = "rejected_by_kafka";
  static final String UNENCODABLE = "unencodable";

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  final Counter sent;
  final Counter spooled;
  final Counter droppedSpoolFull;
  final Counter droppedUnencodable;

  UsageMetrics(
      MeterRegistry registry,
      DiskSpool spool,
      KafkaHealth health,
      EventHandoffQueue<?> queue,
      LongAdder queueFull,
      LongAdder rejectedByKafka) {
    this.registry = registry;
    sent =
        add(
            Counter.builder(SENT)
                .description("Usage events Kafka acknowledged")
                .register(registry));
    spooled =
        add(
            Counter.builder(SPOOLED)
                .description("Usage events written to the disk spool while Kafka was away")
                .register(registry));
    droppedSpoolFull = add(dropped(SPOOL_FULL));
    droppedUnencodable = add(dropped(UNENCODABLE));
    add(
        FunctionCounter.builder(DROPPED, queueFull, LongAdder::sum)
            .description("Usage events lost, by reason")
            .tag("reason", QUEUE_FULL)
            .register(registry));
    add(
        FunctionCounter.builder(DROPPED, rejectedByKafka, LongAdder::sum)
            .description("Usage events lost, by reason")
            .tag("reason", REJECTED_BY_KAFKA)
            .register(registry));
    add(
        Gauge.builder(SPOOL_BYTES, spool, DiskSpool::pendingBytes)
            .description("Bytes of usage events waiting in the disk spool")
            .baseUnit(BaseUnits.BYTES)
            .register(registry));
    add(
        Gauge.builder(SPOOL_EVENTS, spool, DiskSpool::pendingRecords)
            .description("Usage events waiting in the disk spool")
            .register(registry));
    add(
        Gauge.builder(QUEUE_EVENTS, queue, EventHandoffQueue::size)
            .description("Usage events waiting for the publisher thread")
            .register(registry));
    add(
        Gauge.builder(KAFKA_HEALTHY, health, h -> h.healthy() ? 1 : 0)
            .description("1 while Kafka acknowledges usage events, 0 while they are spooled")
            .register(registry));
  }

  private Counter dropped(String reason) {
    return Counter.builder(DROPPED)
        .description("Usage events lost, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
