package dev.turnpike.testkit.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka running in this JVM, on ports chosen by the OS. One from {@link
 * #startRestartable()} can be taken away and brought back on the same address mid-test.
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Starts a broker of its own; most tests share one through {@link KafkaBrokerExtension}. */
  public static KafkaBroker start() {
    return start(Map.of());
  }

  /**
   * Starts a broker of its own that a test can take away with {@link #stopBroker()} and bring back
   * with {@link #restartBroker()}, on the same address and with the data it had.
   *
   * <p>The broker and its controller share one KRaft node; only the broker side stops, as a broker
   * process would in production. The controller keeps the old registration of the broker until its
   * session expires and refuses the restarted one until then, so this broker heartbeats every 250
   * ms with a 2 s session: a restart waits at most that long.
   */
  public static KafkaBroker startRestartable() {
    return start(
        Map.of(
            "broker.heartbeat.interval.ms", "250",
            "broker.session.timeout.ms", "2000"));
  }

  private static KafkaBroker start(Map<String, String> extraConfig) {
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("log.cleaner.backoff.ms", "1000");
      extraConfig.forEach(builder::setConfigProp);
      KafkaClusterTestKit cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new KafkaBroker(cluster);
    } catch (Exception e) {
      throw new IllegalStateException("in-process Kafka did not start", e);
    }
  }

  /**
   * Shuts the broker down cleanly; its clients then find nothing listening on {@link
   * #bootstrapServers()} until {@link #restartBroker()}. Topics, records and the idempotent
   * producers' state stay on disk.
   */
  public void stopBroker() {
    cluster.brokers().values().forEach(BrokerServer::shutdown);
  }

  /**
   * Starts the broker stopped by {@link #stopBroker()} again on the same port with its data, and
   * returns once it serves clients. Quick only for a broker from {@link #startRestartable()}.
   */
  public void restartBroker() {
    cluster.brokers().values().forEach(BrokerServer::startup);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates a topic unless it exists; compacted topics are how config and quota state live. */
  public void createTopic(String name, int partitions, boolean compacted) {
    Map<String, String> configs =
        compacted
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
  }

  public KafkaProducer<String, byte[]> newProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** A consumer in a fresh group that reads each topic from its beginning. */
  public KafkaConsumer<String, byte[]> newConsumerFromBeginning() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Reads {@code topic} from the beginning until {@code expected} records arrived or {@code
   * timeout} passed, and returns what arrived.
   */
  public List<ConsumerRecord<String, byte[]>> readAll(
      String topic, int expected, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = newConsumerFromBeginning()) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /**
   * Reads every record {@code topic} holds now: all its partitions from the beginning up to the end
   * offsets taken when called. Unlike {@link #readAll}, it needs no expected count, so a test can
   * show that nothing more than it expected is there (no duplicates).
   *
   * @throws IllegalStateException if the end was not reached within {@code timeout}
   */
  public List<ConsumerRecord<String, byte[]>> readToEnd(String topic, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = newConsumerFromBeginning()) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = partitionsOf(consumer, topic, deadline);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "did not reach the end of " + topic + " within " + timeout + ": " + ends);
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  private static List<TopicPartition> partitionsOf(
      KafkaConsumer<String, byte[]> consumer, String topic, long deadline) {
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(1));
      if (!infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions");
      }
    }
  }

  private static boolean reached(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("in-process Kafka did not stop cleanly", e);
    }
  }
}
