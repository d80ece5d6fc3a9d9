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
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consumer loop's answer to a database that fails for a while: read again, lose nothing. */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class UsageConsumerRetryTest {

  /** Fails the first commits as a lost connection does, then commits for real. */
  private static final class FlakyStore implements AggregationStore {
    private final AggregationStore real;
    private final AtomicInteger failuresLeft;
    final AtomicInteger failed = new AtomicInteger();

    FlakyStore(AggregationStore real, int failures) {
      this.real = real;
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public CommitResult commit(String consumerGroup, UsageBatch batch) {
      if (failuresLeft.getAndDecrement() > 0) {
        failed.incrementAndGet();
        throw new StoreFailure("connection lost", true, new SQLException("I/O error", "08006"));
      }
      return real.commit(consumerGroup, batch);
    }

    @Override
    public Map<Integer, Long> storedOffsets(
        String consumerGroup, String topic, Collection<Integer> partitions) {
      return real.storedOffsets(consumerGroup, topic, partitions);
    }

    @Override
    public int forgetEventsBefore(Instant cutoff, int limit) {
      return real.forgetEventsBefore(cutoff, limit);
    }
  }

  @Test
  void reads_a_batch_again_after_a_retryable_failure_and_counts_every_event_once(
      TestDatabase database, KafkaBroker kafka) throws Exception {
    MeteringFixture fixture = new MeteringFixture(database.ownerDataSource());
    Subscriber subscriber = fixture.subscriber(null, 0, "DAY", Instant.now());
    FlakyStore store = new FlakyStore(new JdbcAggregationStore(database.meteringDataSource()), 3);
    ConsumerSettings settings =
        new ConsumerSettings(
            kafka.bootstrapServers(),
            KafkaSecurity.plaintext(),
            Topics.USAGE,
            "retry-" + database.name(),
            null,
            50,
            1,
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            true);
    try (KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      for (int i = 0; i < 120; i++) {
        UsageEvent event = subscriber.event(Instant.now(), 200, Outcome.SERVED, 10);
        producer.send(
            new ProducerRecord<>(
                Topics.USAGE, event.keyId(), new UsageEventEncoder().encode(event)));
      }
    }
    try (UsageConsumer consumer =
        new UsageConsumer(settings, store, result -> {}, new SimpleMeterRegistry())) {
      Thread.ofPlatform().start(consumer);

      Await.until(
          Duration.ofSeconds(30),
          () ->
              fixture.queryLong(
                      "SELECT coalesce(sum(calls), 0) FROM usage_aggregates"
                          + " WHERE key_id = ? AND granularity = 'day'",
                      subscriber.keyId())
                  == 120,
          "all 120 events counted");
      assertThat(store.failed.get()).isEqualTo(3);
      assertThat(consumer.state()).isEqualTo(UsageConsumer.State.RUNNING);
    }
  }
}
