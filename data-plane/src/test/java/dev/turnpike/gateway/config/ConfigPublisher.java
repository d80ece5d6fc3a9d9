package dev.turnpike.gateway.config;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes config the way the control plane's outbox relay and metering will: contract records
 * under their contract keys on compacted topics. Sends are asynchronous; {@link #flush()} waits for
 * all of them and fails if any failed.
 */
final class ConfigPublisher implements AutoCloseable {
  private final ConfigTopics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();

  private ConfigPublisher(ConfigTopics topics, KafkaProducer<String, byte[]> producer) {
    this.topics = topics;
    this.producer = producer;
  }

  /** Creates the four topics, compacted, with {@code partitions} each, and a producer for them. */
  static ConfigPublisher create(KafkaBroker kafka, ConfigTopics topics, int partitions) {
    createTopics(kafka, topics, partitions);
    return new ConfigPublisher(topics, kafka.newProducer());
  }

  static void createTopics(KafkaBroker kafka, ConfigTopics topics, int partitions) {
    for (String topic : topics.all()) {
      kafka.createTopic(topic, partitions, true);
    }
  }

  ConfigPublisher deployment(DeploymentSnapshot d) {
    return raw(
        topics.deployments(),
        Topics.deploymentKey(d.tenantId(), d.apiId(), d.stage()),
        DeploymentSnapshot.CODEC.encode(d));
  }

  ConfigPublisher key(KeyRecord k) {
    return raw(topics.keys(), k.keyHash(), KeyRecord.CODEC.encode(k));
  }

  ConfigPublisher plan(PlanRecord p) {
    return raw(
        topics.plans(), Topics.planKey(p.tenantId(), p.planId()), PlanRecord.CODEC.encode(p));
  }

  ConfigPublisher quotaState(QuotaState q) {
    return raw(
        topics.quotaState(), Topics.quotaKey(q.keyId(), q.planId()), QuotaState.CODEC.encode(q));
  }

  ConfigPublisher tombstone(String topic, String key) {
    return raw(topic, key, null);
  }

  /** Any bytes, including ones that are not a valid record. */
  ConfigPublisher raw(String topic, String key, byte[] value) {
    pending.add(producer.send(new ProducerRecord<>(topic, key, value)));
    return this;
  }

  void flush() {
    producer.flush();
    try {
      for (Future<RecordMetadata> send : pending) {
        send.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a config record was not published", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing config", e);
    } finally {
      pending.clear();
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
