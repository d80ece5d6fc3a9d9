package dev.turnpike.gateway.usage;

import static dev.turnpike.gateway.usage.KafkaUsagePublisherTest.counter;
import static dev.turnpike.gateway.usage.KafkaUsagePublisherTest.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takes Kafka away in the middle of a steady stream of requests and brings it back: the topic must
 * then hold exactly the events emitted, none lost, none doubled.
 */
class KafkaOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final int EMITTERS = 3;

  @TempDir Path spoolDir;

  @Test
  void delivers_every_event_exactly_once_across_a_kafka_outage() throws Exception {
    try (KafkaBroker broker = KafkaBroker.startRestartable()) {
      broker.createTopic(Topics.USAGE, 3, false);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      UsagePublisherConfig config =
          new UsagePublisherConfig(
              broker.bootstrapServers(),
              spoolDir,
              64L * 1024 * 1024,
              65_536,
              Duration.ofMillis(300),
              "outage-node",
              Map.of());
      Vertx vertx = Vertx.vertx();
      KafkaUsagePublisher publisher = KafkaUsagePublisher.start(config, registry);
      List<Emitter> emitters = new ArrayList<>();
      long stoppedAfter;
      long restartedAfter;
      double spooled;
      double sent;
      double dropped;
      try {
        for (int i = 0; i < EMITTERS; i++) {
          Emitter emitter = new Emitter(publisher, "emitter-" + i);
          emitters.add(emitter);
          vertx.deployVerticle(emitter).await(10, TimeUnit.SECONDS);
        }
        awaitSent(registry, 500);

        broker.stopBroker();
        stoppedAfter = emitted(emitters);
        Await.until(
            WAIT,
            () -> counter(registry, UsageMetrics.SPOOLED) >= 1_000,
            () -> "spooled " + counter(registry, UsageMetrics.SPOOLED));
        assertThat(gauge(registry, UsageMetrics.KAFKA_HEALTHY)).isZero();

        broker.restartBroker();
        restartedAfter = emitted(emitters);
        // Still emitting: the spool drains while new events keep coming, then they go direct.
        awaitSent(registry, restartedAfter);
        Await.until(
            WAIT,
            () -> emitted(emitters) >= restartedAfter + 1_000,
            () -> "emitted " + emitted(emitters));
        for (Emitter emitter : emitters) {
          vertx.undeploy(emitter.deploymentID()).await(10, TimeUnit.SECONDS);
        }
        awaitSent(registry, emitted(emitters));
        // Read before close(), which removes the meters.
        spooled = counter(registry, UsageMetrics.SPOOLED);
        sent = counter(registry, UsageMetrics.SENT);
        dropped = counter(registry, UsageMetrics.DROPPED);
      } finally {
        publisher.close();
        vertx.close().await(10, TimeUnit.SECONDS);
      }

      List<UsageEvent> emitted = emitters.stream().flatMap(e -> e.events.stream()).toList();
      List<ConsumerRecord<String, byte[]>> records = broker.readToEnd(Topics.USAGE, WAIT);
      List<UsageEvent> published =
          records.stream().map(r -> UsageEventDecoder.decode(r.value())).toList();
      Set<UUID> emittedIds = ids(emitted);
      System.out.printf(
          "outage run: emitted %d (%d before Kafka went away, %d before it came back),"
              + " records in Kafka %d, distinct event ids %d, spooled %.0f, sent %.0f, dropped %.0f%n",
          emitted.size(),
          stoppedAfter,
          restartedAfter,
          records.size(),
          ids(published).size(),
          spooled,
          sent,
          dropped);

      assertThat(spooled).as("events spooled while Kafka was away").isPositive();
      assertThat(dropped).as("events dropped").isZero();
      assertThat(records).as("records in Kafka").hasSize(emitted.size());
      assertThat(ids(published)).isEqualTo(emittedIds);
      assertThat(byKey(published)).as("each key's order").isEqualTo(byKey(emitted));
    }
  }

  private static void awaitSent(SimpleMeterRegistry registry, long count) {
    Await.until(
        WAIT,
        () ->
            counter(registry, UsageMetrics.SENT) >= count
                && gauge(registry, UsageMetrics.SPOOL_EVENTS) == 0,
        () ->
            "sent "
                + counter(registry, UsageMetrics.SENT)
                + " of "
                + count
                + ", in the spool "
                + gauge(registry, UsageMetrics.SPOOL_EVENTS));
  }

  private static long emitted(List<Emitter> emitters) {
    return emitters.stream().mapToLong(e -> e.count.get()).sum();
  }

  private static Set<UUID> ids(List<UsageEvent> events) {
    Set<UUID> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.eventId()));
    return ids;
  }

  private static Map<String, List<UUID>> byKey(List<UsageEvent> events) {
    Map<String, List<UUID>> byKey = new HashMap<>();
    events.forEach(e -> byKey.computeIfAbsent(e.keyId(), k -> new ArrayList<>()).add(e.eventId()));
    return byKey;
  }

  /**
   * A steady stream of requests on one event loop: every millisecond two usage events, over keys of
   * its own so that each key's order is defined.
   */
  private static final class Emitter extends VerticleBase {
    final List<UsageEvent> events = new ArrayList<>();
    final AtomicInteger count = new AtomicInteger();
    private final KafkaUsagePublisher publisher;
    private final String name;
    private long timer;

    Emitter(KafkaUsagePublisher publisher, String name) {
      this.publisher = publisher;
      this.name = name;
    }

    @Override
    public Future<?> start() {
      timer = vertx.setPeriodic(1, id -> emitTwo());
      return Future.succeededFuture();
    }

    private void emitTwo() {
      for (int i = 0; i < 2; i++) {
        UsageEvent event = TestEvents.served("outage-node", name + "-key-" + events.size() % 10);
        events.add(event);
        publisher.emit(event);
        count.incrementAndGet();
      }
    }

    @Override
    public Future<?> stop() {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    }
  }
}
