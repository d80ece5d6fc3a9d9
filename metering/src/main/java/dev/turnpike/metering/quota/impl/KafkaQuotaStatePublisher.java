package dev.turnpike.metering.quota.impl;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.metering.quota.QuotaStatePublisher;
import dev.turnpike.settings.KafkaSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes quota states keyed {@code keyId/planId} ({@link Topics#quotaKey}), the key the gateway
 * counts under, so compaction keeps one state per key and plan.
 */
public final class KafkaQuotaStatePublisher implements QuotaStatePublisher {
  private final KafkaProducer<String, byte[]> producer;
  private final Duration timeout;

  public KafkaQuotaStatePublisher(
      String bootstrapServers, KafkaSecurity security, Duration timeout) {
    Properties props = new Properties();
    props.putAll(security.clientProperties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "turnpike-metering-quota");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis() - 1, 10_000));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.timeout = timeout;
  }

  @Override
  public void publish(List<QuotaState> states) {
    List<Future<RecordMetadata>> sends = new ArrayList<>(states.size());
    for (QuotaState state : states) {
      sends.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.QUOTA_STATE,
                  Topics.quotaKey(state.keyId(), state.planId()),
                  QuotaState.CODEC.encode(state))));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing quota state failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("publishing quota state timed out after " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing quota state", e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
