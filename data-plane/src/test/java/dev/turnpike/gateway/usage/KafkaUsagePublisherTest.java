package dev.turnpike.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaUsagePublisherTest {
  /** Nothing listens here: a Kafka that is away from the start. */
  private static final String NO_KAFKA = "localhost:1";

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path spoolDir;

  @BeforeAll
  static void createTopic(KafkaBroker broker) {
    broker.createTopic(Topics.USAGE, 3, false);
  }

  static UsagePublisherConfig config(String bootstrap, Path spoolDir, long spoolMaxBytes) {
    return new UsagePublisherConfig(
        bootstrap,
        spoolDir,
        spoolMaxBytes,
        10_000,
        Duration.ofMillis(500),
        "node-" + UUID.randomUUID(),
        Map.of());
  }

  static double counter(MeterRegistry registry, String name, String... tags) {
    double counters =
        registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    double functionCounters =
        registry.find(name).tags(tags).functionCounters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    return counters + functionCounters;
  }

  static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  /** Every event {@code nodeId} published that the topic holds now, in partition order. */
  static List<UsageEvent> eventsInKafka(KafkaBroker broker, String nodeId) {
    List<UsageEvent> events = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : broker.readToEnd(Topics.USAGE, WAIT)) {
      UsageEvent event = UsageEventDecoder.decode(record.value());
      if (nodeId.equals(event.nodeId())) {
        assertThat(record.key())
            .isEqualTo(event.keyId() != null ? event.keyId() : event.tenantId());
        events.add(event);
      }
    }
    return events;
  }

  static void awaitAllSent(MeterRegistry registry, int count) {
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
                + ", spooled now "
                + gauge(registry, UsageMetrics.SPOOL_EVENTS));
  }

  @Nested
  class Delivery {
    @Test
    void publishes_each_event_exactly_once_in_per_key_order(KafkaBroker broker) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      UsagePublisherConfig config = config(broker.bootstrapServers(), spoolDir, 1 << 20);
      Map<String, List<UUID>> emittedByKey = new LinkedHashMap<>();
      try (KafkaUsagePublisher publisher = KafkaUsagePublisher.start(config, registry)) {
        for (int n = 0; n < 3_000; n++) {
          String keyId = "key-" + n % 7;
          UsageEvent event = TestEvents.served(config.nodeId(), keyId);
          emittedByKey.computeIfAbsent(keyId, k -> new ArrayList<>()).add(event.eventId());
          publisher.emit(event);
        }
        awaitAllSent(registry, 3_000);
        assertThat(counter(registry, UsageMetrics.SPOOLED)).isZero();
      }

      List<UsageEvent> published = eventsInKafka(broker, config.nodeId());
      Map<String, List<UUID>> publishedByKey = new HashMap<>();
      published.forEach(
          e -> publishedByKey.computeIfAbsent(e.keyId(), k -> new ArrayList<>()).add(e.eventId()));
      assertThat(published).hasSize(3_000);
      assertThat(publishedByKey).isEqualTo(emittedByKey);
    }

    @Test
    void publishes_rejected_requests_with_their_outcome(KafkaBroker broker) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      UsagePublisherConfig config = config(broker.bootstrapServers(), spoolDir, 1 << 20);
      List<UsageEvent> emitted =
          List.of(
              TestEvents.event(config.nodeId(), "key-1", 200, Outcome.SERVED),
              TestEvents.event(config.nodeId(), "key-1", 429, Outcome.THROTTLED),
              TestEvents.event(config.nodeId(), "key-2", 429, Outcome.QUOTA_EXCEEDED),
              TestEvents.event(config.nodeId(), "key-3", 403, Outcome.FORBIDDEN),
              TestEvents.event(config.nodeId(), null, 403, Outcome.MISSING_AUTHENTICATION_TOKEN),
              TestEvents.event(config.nodeId(), "key-1", 504, Outcome.INTEGRATION_TIMEOUT));
      try (KafkaUsagePublisher publisher = KafkaUsagePublisher.start(config, registry)) {
        emitted.forEach(publisher::emit);
        awaitAllSent(registry, emitted.size());
      }

      assertThat(eventsInKafka(broker, config.nodeId()))
          .containsExactlyInAnyOrderElementsOf(emitted);
    }

    @Test
    void exposes_its_meters_under_their_prometheus_names(KafkaBroker broker) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      UsagePublisherConfig config = config(broker.bootstrapServers(), spoolDir, 1 << 20);
      try (KafkaUsagePublisher publisher = KafkaUsagePublisher.start(config, registry)) {
        publisher.emit(TestEvents.served(config.nodeId(), "key-1"));
        awaitAllSent(registry, 1);

        assertThat(registry.scrape())
            .contains("turnpike_usage_events_sent_total 1.0")
            .contains("turnpike_usage_events_spooled_total 0.0")
            .contains("turnpike_usage_events_dropped_total{reason=\"spool_full\"} 0.0")
            .contains("turnpike_usage_events_dropped_total{reason=\"queue_full\"} 0.0")
            .contains("turnpike_usage_spool_bytes 0.0")
            .contains("turnpike_usage_spool_events 0.0")
            .contains("turnpike_usage_queue_events 0.0")
            .contains("turnpike_usage_kafka_healthy 1.0");
      }
      assertThat(registry.scrape()).doesNotContain("turnpike_usage");
    }
  }

  @Nested
  class KafkaAway {
    @Test
    void sends_events_spooled_before_a_restart_after_it(KafkaBroker broker) {
      String nodeId = "node-" + UUID.randomUUID();
      List<UsageEvent> emitted = new ArrayList<>();
      for (int n = 0; n < 200; n++) {
        emitted.add(TestEvents.served(nodeId, "key-" + n % 5));
      }
      SimpleMeterRegistry firstRegistry = new SimpleMeterRegistry();
      UsagePublisherConfig away = withNode(config(NO_KAFKA, spoolDir, 1 << 20), nodeId);
      try (KafkaUsagePublisher publisher = KafkaUsagePublisher.start(away, firstRegistry)) {
        emitted.forEach(publisher::emit);
        Await.until(
            WAIT,
            () -> counter(firstRegistry, UsageMetrics.SPOOLED) == emitted.size(),
            () -> "spooled " + counter(firstRegistry, UsageMetrics.SPOOLED));
        assertThat(gauge(firstRegistry, UsageMetrics.KAFKA_HEALTHY)).isZero();
        assertThat(counter(firstRegistry, UsageMetrics.SENT)).isZero();
      }

      SimpleMeterRegistry secondRegistry = new SimpleMeterRegistry();
      UsagePublisherConfig back =
          withNode(config(broker.bootstrapServers(), spoolDir, 1 << 20), nodeId);
      KafkaUsagePublisher restarted = KafkaUsagePublisher.start(back, secondRegistry);
      try {
        awaitAllSent(secondRegistry, emitted.size());
      } finally {
        restarted.close();
      }

      List<UsageEvent> published = eventsInKafka(broker, nodeId);
      assertThat(published).hasSize(emitted.size());
      assertThat(published).containsExactlyInAnyOrderElementsOf(emitted);
    }

    @Test
    void reports_a_full_spool_in_its_meters() {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      UsagePublisherConfig away = config(NO_KAFKA, spoolDir, UsagePublisherConfig.MIN_SPOOL_BYTES);
      try (KafkaUsagePublisher publisher = KafkaUsagePublisher.start(away, registry)) {
        for (int n = 0; n < 1_000; n++) {
          publisher.emit(TestEvents.served(away.nodeId(), "key-1"));
        }
        Await.until(
            WAIT,
            () ->
                counter(registry, UsageMetrics.SPOOLED)
                        + counter(registry, UsageMetrics.DROPPED, "reason", "spool_full")
                    == 1_000,
            () -> "spooled " + counter(registry, UsageMetrics.SPOOLED));

        assertThat(counter(registry, UsageMetrics.DROPPED, "reason", "spool_full")).isPositive();
        assertThat(gauge(registry, UsageMetrics.SPOOL_BYTES))
            .isPositive()
            .isLessThanOrEqualTo(UsagePublisherConfig.MIN_SPOOL_BYTES);
        assertThat(gauge(registry, UsageMetrics.KAFKA_HEALTHY)).isZero();
      }
    }
  }

  static UsagePublisherConfig withNode(UsagePublisherConfig config, String nodeId) {
    return new UsagePublisherConfig(
        config.bootstrapServers(),
        config.spoolDir(),
        config.spoolMaxBytes(),
        config.queueCapacity(),
        config.unhealthyAfter(),
        nodeId,
        config.producerOverrides());
  }
}
