package dev.turnpike.metering.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lag gauge shows the records a real consumer has not read yet, and nothing before a fetch. */
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerLagGaugeTest {
  @Test
  void shows_the_records_the_consumer_is_behind(KafkaBroker kafka) throws Exception {
    kafka.createTopic("lag-gauge", 1, false);
    try (KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>("lag-gauge", "k", new byte[] {1}));
      }
      producer.flush();
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerLagGauge gauge = new ConsumerLagGauge(registry);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                10,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition("lag-gauge", 0)));
      gauge.observe(consumer);
      assertThat(registry.get(ConsumerLagGauge.NAME).gauge().value()).isNaN();

      Await.until(
          Duration.ofSeconds(30),
          () -> {
            consumer.poll(Duration.ofMillis(200));
            gauge.observe(consumer);
            return gauge.value() > 0;
          },
          "a fetch that leaves records behind");

      assertThat(registry.get(ConsumerLagGauge.NAME).gauge().value()).isBetween(1.0, 100.0);
    }
  }
}
