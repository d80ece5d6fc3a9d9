package dev.turnpike.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaRoundTripTest {

  @Test
  void usage_event_crosses_a_real_kafka_broker_intact(KafkaBroker kafka) throws Exception {
    kafka.createTopic(Topics.USAGE, 3, false);
    UsageEvent sent = ContractCodecTest.usageEvent();

    try (KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      producer
          .send(new ProducerRecord<>(Topics.USAGE, sent.keyId(), UsageEvent.CODEC.encode(sent)))
          .get();
    }

    List<ConsumerRecord<String, byte[]>> received =
        kafka.readAll(Topics.USAGE, 1, Duration.ofSeconds(30));
    assertThat(received).hasSize(1);
    assertThat(received.get(0).key()).isEqualTo("key-1");
    assertThat(UsageEvent.CODEC.decode(received.get(0).value())).isEqualTo(sent);
  }
}
