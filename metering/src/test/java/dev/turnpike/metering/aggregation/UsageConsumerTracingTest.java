package dev.turnpike.metering.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import dev.turnpike.metering.aggregation.impl.JdbcAggregationStore;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.telemetry.OtlpProtocol;
import dev.turnpike.telemetry.ServiceTracing;
import dev.turnpike.telemetry.TraceExport;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.otlp.OtlpTestCollector;
import dev.turnpike.testkit.otlp.OtlpTestCollector.ReceivedSpan;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metering's own spans (docs/tracing.md): one per committed poll, naming what it counted. */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class UsageConsumerTracingTest {
  static final int EVENTS = 40;

  @Test
  void every_committed_batch_is_a_span_and_together_they_count_every_event(
      TestDatabase database, KafkaBroker kafka) throws Exception {
    MeteringFixture fixture = new MeteringFixture(database.ownerDataSource());
    Subscriber subscriber = fixture.subscriber(null, 0, "DAY", Instant.now());
    // A topic of its own: the module's tests share one broker, and others write to the usage topic.
    String topic = Topics.USAGE + ".traced." + UUID.randomUUID();
    kafka.createTopic(topic, 3, false);
    ConsumerSettings settings =
        new ConsumerSettings(
            kafka.bootstrapServers(),
            KafkaSecurity.plaintext(),
            topic,
            "traced-" + database.name(),
            null,
            50,
            1,
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            true);
    try (KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      for (int i = 0; i < EVENTS; i++) {
        UsageEvent event = subscriber.event(Instant.now(), 200, Outcome.SERVED, 10);
        producer.send(
            new ProducerRecord<>(topic, event.keyId(), new UsageEventEncoder().encode(event)));
      }
    }
    Vertx vertx = Vertx.vertx();
    OtlpTestCollector collector = OtlpTestCollector.start(vertx);
    SdkTracerProvider tracer =
        new ServiceTracing(
                TraceExport.to(collector.grpcEndpoint(), OtlpProtocol.GRPC, Duration.ofMillis(20)),
                1.0)
            .start("turnpike-metering");
    try (UsageConsumer consumer =
        new UsageConsumer(
            settings,
            new JdbcAggregationStore(database.meteringDataSource()),
            result -> {},
            new SimpleMeterRegistry(),
            tracer.get("dev.turnpike.metering"))) {
      Thread.ofPlatform().start(consumer);

      Await.until(
          Duration.ofSeconds(30),
          () -> sum(batches(collector), "turnpike.metering.events") >= EVENTS,
          "spans of batches covering all " + EVENTS + " events");
    } finally {
      tracer.shutdown().join(10, TimeUnit.SECONDS);
      collector.close();
      vertx.close().await();
    }
    List<ReceivedSpan> batches = batches(collector);
    // The topic holds only this test's events; each is counted once, over all batches.
    assertThat(sum(batches, "turnpike.metering.events")).isEqualTo(EVENTS);
    assertThat(sum(batches, "turnpike.metering.counted")).isEqualTo(EVENTS);
    assertThat(batches)
        .allSatisfy(
            span -> {
              assertThat(span.serviceName()).isEqualTo("turnpike-metering");
              assertThat(span.parentSpanId()).isEmpty();
              assertThat(Long.parseLong(span.attributes().get("turnpike.metering.partitions")))
                  .isPositive();
              assertThat(span.attributes())
                  .containsEntry("messaging.consumer.group.name", "traced-" + database.name())
                  .containsEntry("turnpike.metering.partitions_retried", "0");
            });
  }

  static List<ReceivedSpan> batches(OtlpTestCollector collector) {
    return collector.spans().stream().filter(s -> s.name().equals("commit usage batch")).toList();
  }

  static long sum(List<ReceivedSpan> spans, String attribute) {
    return spans.stream().mapToLong(s -> Long.parseLong(s.attributes().get(attribute))).sum();
  }
}
