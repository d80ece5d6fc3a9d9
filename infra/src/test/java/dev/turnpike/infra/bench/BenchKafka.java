package dev.turnpike.infra.bench;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.testkit.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's Kafka: a real in-process KRaft broker with the contract topics, the bench config
 * published on them as the control plane's relay would, and a count of the usage events the gateway
 * nodes produced.
 */
final class BenchKafka implements AutoCloseable {
  /**
   * Sized as the control plane's relay sizes its topics and producer, with the default config
   * record limit: a 10,000-route deployment (about 2.5 MB of JSON) is sent zstd-compressed, so the
   * bench also shows that the default limit holds it.
   */
  private static final ConfigRecordLimit RECORD_LIMIT = ConfigRecordLimit.defaults();

  private static final int USAGE_PARTITIONS = 3;

  private final KafkaBroker broker;
  private KafkaConsumer<byte[], byte[]> usageCounter;

  private BenchKafka(KafkaBroker broker) {
    this.broker = broker;
  }

  static BenchKafka start() {
    BenchKafka kafka = new BenchKafka(KafkaBroker.start());
    kafka.createTopics();
    return kafka;
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  private void createTopics() {
    Map<String, String> compacted =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            Integer.toString(RECORD_LIMIT.topicMaxMessageBytes()));
    List<NewTopic> topics =
        List.of(
            new NewTopic(Topics.DEPLOYMENTS, 1, (short) 1).configs(compacted),
            new NewTopic(Topics.KEYS, 1, (short) 1).configs(compacted),
            new NewTopic(Topics.PLANS, 1, (short) 1).configs(compacted),
            new NewTopic(Topics.QUOTA_STATE, 1, (short) 1).configs(compacted),
            new NewTopic(Topics.USAGE, USAGE_PARTITIONS, (short) 1));
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create the bench topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating the bench topics", e);
    }
  }

  /** Publishes every record under its contract key and waits until all are acknowledged. */
  void publish(BenchConfig config) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, ConfigRecordLimit.COMPRESSION);
    props.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Integer.toString(RECORD_LIMIT.producerMaxRequestSize()));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (PlanRecord plan : config.plans()) {
        sends.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.PLANS,
                    Topics.planKey(plan.tenantId(), plan.planId()),
                    PlanRecord.CODEC.encode(plan))));
      }
      for (KeyRecord key : config.keyRecords()) {
        sends.add(
            producer.send(
                new ProducerRecord<>(Topics.KEYS, key.keyHash(), KeyRecord.CODEC.encode(key))));
      }
      for (DeploymentSnapshot deployment : config.deployments()) {
        sends.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.DEPLOYMENTS,
                    Topics.deploymentKey(
                        deployment.tenantId(), deployment.apiId(), deployment.stage()),
                    DeploymentSnapshot.CODEC.encode(deployment))));
      }
      producer.flush();
      for (Future<RecordMetadata> send : sends) {
        send.get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot publish the bench config", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing the bench config", e);
    }
  }

  /**
   * How many usage events the usage topic holds: the sum of its partitions' end offsets. Only the
   * caller's thread may call this (a Kafka consumer is single-threaded).
   */
  long usageEvents() {
    if (usageCounter == null) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      usageCounter =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : usageCounter.partitionsFor(Topics.USAGE, Duration.ofSeconds(10))) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    return usageCounter.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * Stops the broker. The usage counter is left to the JVM's exit: it belongs to the thread that
   * counts, and a Kafka consumer must not be closed from another thread.
   */
  @Override
  public void close() {
    broker.close();
  }
}
