package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.usage.UsageEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes the gateway's usage events to Kafka ({@code turnpike.usage}, keyed by key id) with an
 * idempotent producer and {@code acks=all}, falling back to a {@link DiskSpool} while Kafka is
 * away.
 *
 * <h2>Threads</h2>
 *
 * {@link #emit} runs on event loops and only puts the event into a bounded lock-free queue: one
 * compare-and-set, no allocation, no I/O, no lock. One publisher thread ({@link PublisherLoop})
 * encodes the events and owns the producer and the spool; {@code KafkaProducer.send} may block
 * (metadata, a full buffer), which is why it never runs on an event loop. If the queue is full, the
 * publisher thread cannot keep up even with appending to disk; the event is then dropped and
 * counted ({@code reason=queue_full}), because an event loop must not write to disk either.
 *
 * <h2>None lost, none doubled</h2>
 *
 * An event reaches Kafka twice only if it is sent again after a send whose outcome is unknown, and
 * is lost only if it is dropped after a send that did not land. The design keeps unknown outcomes
 * out of the normal path:
 *
 * <ul>
 *   <li>Within one producer, retries cannot duplicate: the idempotent producer numbers each batch
 *       and the broker discards a batch it already has, across broker restarts too (the producer
 *       state is part of the log). So a record handed to the producer is left to it: {@code
 *       delivery.timeout.ms} is effectively infinite, and a record the producer holds through an
 *       outage is delivered, exactly once, when Kafka returns. It is never copied to the spool as
 *       well, and it never expires, which is the ambiguous outcome ({@code TimeoutException}: maybe
 *       written) we avoid.
 *   <li>While Kafka is unhealthy (a send failed, or records outstanding got no acknowledgement for
 *       {@code unhealthyAfter}) new events go to the spool instead of the producer, so the
 *       producer's memory does not fill up and events wait on disk, where a restart finds them.
 *       What the spool gets was never handed to the producer, or failed definitively: a record
 *       {@code send()} refused (no metadata or buffer within {@code max.block.ms}; detected by the
 *       callback running inside {@code send()} on the publisher thread) was not written.
 *   <li>When an acknowledgement shows Kafka is back, the spool is drained oldest first before new
 *       events go to the producer directly, and a drained batch is committed in the spool only when
 *       every record of it was acknowledged. Each partition's records keep their order because the
 *       producer keeps it and everything older was handed to it first.
 * </ul>
 *
 * What remains at least once rather than exactly once: {@link #close()} while Kafka is away (the
 * producer aborts what it holds; a record that was in flight when the broker went away may have
 * been written, and goes to the spool anyway), a crash between an acknowledgement and the spool
 * commit (the batch is sent again), a record failing for a reason the producer does not retry, and
 * a {@code delivery.timeout.ms} lowered through the overrides, when it expires. Metering
 * deduplicates on {@code eventId}, so these cost nothing but a discarded duplicate, whereas
 * guessing "written" would lose events. Events only in memory (queue, producer buffer) are lost if
 * the process dies without {@link #close()}; the spool's are not.
 *
 * <p>Known limit: records the producer holds for a partition that never comes back stay there and
 * keep the spool from draining; events then wait in the spool until it is full, as when Kafka is
 * down, and the logs and metrics say so.
 */
public final class KafkaUsagePublisher implements UsageEventSink, AutoCloseable {
  private final EventHandoffQueue<UsageEvent> queue;
  private final LongAdder queueFull = new LongAdder();
  private final PublisherLoop loop;
  private final UsageMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean accepting = true;

  private KafkaUsagePublisher(UsagePublisherConfig config, MeterRegistry registry) {
    DiskSpool spool = DiskSpool.open(config.spoolDir(), config.spoolMaxBytes());
    KafkaHealth health = new KafkaHealth(config.unhealthyAfter().toNanos(), System.nanoTime());
    LongAdder rejectedByKafka = new LongAdder();
    this.queue = new EventHandoffQueue<>(config.queueCapacity());
    this.loop = new PublisherLoop(config, queue, spool, health, queueFull, rejectedByKafka);
    this.metrics = new UsageMetrics(registry, spool, health, queue, queueFull, rejectedByKafka);
  }

  /**
   * Opens the spool (what an earlier run left there is sent first), registers the meters and starts
   * the publisher thread. Kafka need not be reachable: events are spooled until it is. Does file
   * I/O: call it at start-up, not on an event loop.
   *
   * @throws java.io.UncheckedIOException if the spool directory cannot be used
   */
  public static KafkaUsagePublisher start(UsagePublisherConfig config, MeterRegistry registry) {
    KafkaUsagePublisher publisher = new KafkaUsagePublisher(config, registry);
    publisher.loop.start(publisher.metrics);
    return publisher;
  }

  /**
   * Queues the event for the publisher thread. Never blocks or throws; if the queue is full the
   * event is counted as dropped. After {@link #close()} events are ignored.
   */
  @Override
  public void emit(UsageEvent event) {
    if (event == null || !accepting) {
      return;
    }
    if (!queue.offer(event)) {
      queueFull.increment();
    }
  }

  /**
   * Stops taking events, gives the producer up to {@code unhealthyAfter} to deliver what it holds,
   * puts everything else into the spool for the next start, closes the producer and the spool and
   * removes the meters. Call it after the HTTP servers stopped: an emit racing with close may be
   * lost. Blocks for up to about {@code unhealthyAfter}, so not on an event loop; idempotent.
   */
  @Override
  public void close() {
    accepting = false;
    if (closed.compareAndSet(false, true)) {
      loop.stopAndJoin();
      metrics.close();
    }
  }
}
