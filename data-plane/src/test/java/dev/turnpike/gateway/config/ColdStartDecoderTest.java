package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.json.ContractDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ColdStartDecoderTest {
  private final ConfigTopics topics = ConfigTopics.DEFAULT;

  @Test
  void a_batch_decoded_on_a_pool_is_what_one_thread_decodes_in_the_same_order() {
    // Rewrites of the same key, a tombstone and a record that does not decode: order matters.
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      KeyRecord key = key("tpk_key_" + (i % 50), "key-" + (i % 50), KeyStatus.values()[i % 3]);
      byte[] value = KeyRecord.CODEC.encode(key);
      if (i == 123) {
        value = "{".getBytes(StandardCharsets.UTF_8);
      } else if (i == 471) {
        // The last record of its key: the key ends deleted.

        value = null;
      }
      records.add(new ConsumerRecord<>(topics.keys(), 0, i, key.keyHash(), value));
    }
    ConsumerRecords<String, byte[]> batch =
        new ConsumerRecords<>(Map.of(new TopicPartition(topics.keys(), 0), records), Map.of());

    WorkingConfig parallel = new WorkingConfig(topics, 0);
    try (ColdStartDecoder decoder = new ColdStartDecoder(4)) {
      List<Object> decoded = decoder.decode(parallel, batch);
      assertThat(decoded).hasSize(500);
      assertThat(decoded.get(123)).isInstanceOf(ContractDecodingException.class);
      for (Object result : decoded) {
        if (result instanceof WorkingConfig.Decoded<?> value) {
          value.apply();
        }
      }
    }
    WorkingConfig sequential = new WorkingConfig(topics, 0);
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        sequential.apply(record);
      } catch (ContractDecodingException e) {
        // Skipped, as the feed skips it.
      }
    }

    assertThat(parallel.freeze().keysByHash())
        .isEqualTo(sequential.freeze().keysByHash())
        .hasSize(49);
  }
}
