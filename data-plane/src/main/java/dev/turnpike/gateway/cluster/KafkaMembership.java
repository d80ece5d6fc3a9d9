package dev.turnpike.gateway.cluster;

import dev.turnpike.gateway.throttle.DemandReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership of the gateway cluster through Kafka: on a thread of its own, it sends a
 * {@link Heartbeat} to {@link #TOPIC} every heartbeat interval, reads every node's heartbeats from
 * the beginning of the topic (by assignment, so no consumer group), and reports the count of live
 * nodes whenever it changes. A clean {@link #close} sends a tombstone, so the others see the node
 * leave at once instead of after the expiry.
 *
 * <p>While its own heartbeats do not come back (Kafka out of reach) the count stays what it was:
 * the node cannot tell a lost cluster from a lost broker, and dropping to one node would let every
 * node admit the whole limit. Once they come back, it waits one heartbeat interval, in which every
 * other reachable node is heard from, before it counts again.
 *
 * <p>Each heartbeat also carries the node's recent demand ({@link Traffic#sample}), and at each of
 * its own heartbeats, whenever the count changes, and after a poll that brought another node's new
 * demand, the node re-shares its limits by the demand every live node last reported ({@link
 * Traffic#share}).
 */
public final class KafkaMembership implements AutoCloseable {
  /** Compacted, one partition: the last heartbeat or tombstone of each node. */
  public static final String TOPIC = "turnpike.gateway.nodes";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaMembership.class);
  private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration WAKEUP_GRACE = Duration.ofSeconds(3);
  private static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(1);

  /**
   * @param topic {@link #TOPIC} but in tests
   * @param address this node's traffic listener for the other nodes, {@code host:port}
   * @param initialCount the count reported until the live one is known
   */
  public record Config(
      String bootstrapServers,
      Map<String, ?> clientProperties,
      String topic,
      String nodeId,
      String address,
      Duration heartbeat,
      Duration expiry,
      int initialCount) {}

  /** The node's traffic, exchanged with the heartbeats; called on the membership thread only. */
  public interface Traffic {
    /** No exchange: the heartbeats carry no demand and shares stay even. */
    Traffic NONE =
        new Traffic() {
          @Override
          public DemandReport sample(String nodeId) {
            return DemandReport.none(nodeId);
          }

          @Override
          public void share(int nodeCount, DemandReport own, Collection<DemandReport> others) {}
        };

    /** This node's demand since the last sample, for the heartbeat about to go out. */
    DemandReport sample(String nodeId);

    /**
     * Shares the limits among {@code nodeCount} live nodes by this node's last sample and the other
     * live nodes' last reports.
     */
    void share(int nodeCount, DemandReport own, Collection<DemandReport> others);
  }

  private final Config config;
  private final NodeDirectory directory;
  private final IntConsumer onCount;
  private final Traffic traffic;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean sendTombstone = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile int nodeCount;
  private long selfLiveSince = -1;
  private volatile boolean heartbeatDelivered;

  private KafkaMembership(
      Config config, NodeDirectory directory, IntConsumer onCount, Traffic traffic, Clock clock) {
    this.config = config;
    this.directory = directory;
    this.onCount = onCount;
    this.traffic = traffic;
    this.clock = clock;
    this.nodeCount = Math.max(1, config.initialCount());
    this.thread = new Thread(this::run, "turnpike-gateway-membership");
    this.thread.setDaemon(true);
  }

  /**
   * Starts the membership thread and returns at once.
   *
   * @param onCount called on the membership thread with the live node count (at least 1) each time
   *     it changes
   * @param clock the wall clock heartbeats are stamped and expired by
   */
  public static KafkaMembership start(
      Config config,
      NodeDirectory directory,
      IntConsumer onCount,
      MeterRegistry metrics,
      Clock clock) {
    return start(config, directory, onCount, Traffic.NONE, metrics, clock);
  }

  /**
   * Starts the membership thread, with the node's traffic exchanged on the heartbeats, and returns
   * at once.
   *
   * @param onCount called on the membership thread with the live node count (at least 1) each time
   *     it changes, before {@code traffic} re-shares by demand
   */
  public static KafkaMembership start(
      Config config,
      NodeDirectory directory,
      IntConsumer onCount,
      Traffic traffic,
      MeterRegistry metrics,
      Clock clock) {
    KafkaMembership membership = new KafkaMembership(config, directory, onCount, traffic, clock);
    Gauge.builder("turnpike.gateway.cluster.nodes", membership, KafkaMembership::nodeCount)
        .description("Gateway nodes this node shares its limits with, itself included")
        .register(metrics);
    membership.thread.start();
    return membership;
  }

  /** The live node count last reported (the initial one until the first is known). */
  public int nodeCount() {
    return nodeCount;
  }

  /** Stops heartbeating, says goodbye with a tombstone, and waits for the thread. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops without the tombstone, as a node that dies does: the others notice it only when its last
   * heartbeat expires.
   */
  void abandon() {
    sendTombstone = false;
    stop();
  }

  private void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      try {
        current.wakeup();
      } catch (RuntimeException e) {
        // Closed by the thread meanwhile: it is stopping anyway.
      }
    }
    try {
      if (!thread.join(WAKEUP_GRACE)) {
        // Creating the topic or sending a heartbeat to a Kafka out of reach waits on its own
        // timeout, which the consumer's wakeup does not cut short.
        thread.interrupt();
      }
      if (!thread.join(STOP_TIMEOUT)) {
        LOG.warn("membership thread did not stop within {}", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    KafkaProducer<String, byte[]> producer = null;
    KafkaConsumer<String, byte[]> reader = null;
    try {
      producer =
          new KafkaProducer<>(
              producerProperties(), new StringSerializer(), new ByteArraySerializer());
      reader =
          new KafkaConsumer<>(
              consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
      consumer = reader;
      if (!stopping) {
        follow(producer, reader);
      }
    } catch (WakeupException | InterruptException e) {
      // close() woke the consumer or interrupted a wait on Kafka: stop.
    } catch (RuntimeException e) {
      LOG.error("membership stopped: the node count stays {}", nodeCount, e);
    } finally {
      // Clears an interrupt from close(), which must not cut the goodbye short.
      Thread.interrupted();
      consumer = null;
      // Only after a heartbeat went out (the others may count this node) and while Kafka answers:
      // otherwise the goodbye would only wait for its timeout.
      if (producer != null && sendTombstone && heartbeatDelivered) {
        sayGoodbye(producer);
      }
      if (reader != null) {
        reader.close(CloseOptions.timeout(CLIENT_CLOSE_TIMEOUT));
      }
      if (producer != null) {
        // Heartbeats still waiting for an absent Kafka are worth nothing: do not wait them out.
        producer.close(CLIENT_CLOSE_TIMEOUT);
      }
    }
  }

  private void follow(
      KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> reader) {
    long nextTopicAttempt = 0;
    List<TopicPartition> partitions = List.of();
    long nextHeartbeat = 0;
    DemandReport own = DemandReport.none(config.nodeId());
    while (!stopping) {
      long now = clock.millis();
      if (partitions.isEmpty()) {
        if (now - nextTopicAttempt < 0) {
          sleepUntilStopping(Math.min(nextTopicAttempt - now, 250));
          continue;
        }
        nextTopicAttempt = now + TOPIC_RETRY.toMillis();
        partitions = partitions(reader);
        if (partitions.isEmpty()) {
          continue;
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
      }
      boolean sampled = false;
      if (now - nextHeartbeat >= 0) {
        nextHeartbeat = now + config.heartbeat().toMillis();
        own = traffic.sample(config.nodeId());
        sampled = true;
        heartbeat(producer, now, own);
      }
      boolean othersReported = false;
      for (ConsumerRecord<String, byte[]> record :
          reader.poll(Duration.ofMillis(Math.min(config.heartbeat().toMillis(), 200)))) {
        othersReported |= read(record);
      }
      long readAt = clock.millis();
      OptionalInt live = directory.refresh(readAt);
      if (live.isEmpty()) {
        selfLiveSince = -1;
      } else if (selfLiveSince < 0) {
        selfLiveSince = readAt;
      } else if (readAt - selfLiveSince >= config.heartbeat().toMillis()) {
        // A heartbeat interval after its own heartbeat came back, every node that reaches Kafka
        // has been heard from too: counting earlier would, at start or after an outage, see this
        // node alone and admit the whole limit for a moment.
        boolean changed = report(Math.max(1, live.getAsInt()));
        // Re-sharing as soon as another node's report arrives, not only at this node's own
        // heartbeat, keeps every node computing from the same reports but for the time a record
        // takes to reach them all (a poll): then the shares of a key add up to its limit. Computed
        // at each node's own heartbeat only, a node whose traffic grew took its larger share from
        // its own new report while the others kept theirs from its old one for up to a period:
        // up to 4/3 of the limit when a node joins a rotation of two.
        if (sampled || changed || othersReported) {
          traffic.share(nodeCount, own, directory.othersDemand());
        }
      }
    }
  }

  /** The topic's partitions, creating it first when it is missing; empty while Kafka is away. */
  private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> reader) {
    try {
      createTopic();
      List<PartitionInfo> infos = reader.partitionsFor(config.topic(), Duration.ofSeconds(5));
      return infos.stream()
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("membership topic {} is not readable yet: {}", config.topic(), e.toString());
      return List.of();
    }
  }

  private void createTopic() {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(config.topic(), Optional.of(1), Optional.empty())
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all()
          .get(5, TimeUnit.SECONDS);
      LOG.info("created the membership topic {}", config.topic());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        // Without the Create right the topic may still exist: reading it tells.
        LOG.debug("cannot create the membership topic {}", config.topic(), e.getCause());
      }
    } catch (TimeoutException e) {
      LOG.debug("creating the membership topic {} timed out", config.topic());
    } catch (InterruptedException e) {
      stopping = true;
      Thread.currentThread().interrupt();
    }
  }

  private void heartbeat(KafkaProducer<String, byte[]> producer, long now, DemandReport demand) {
    Heartbeat heartbeat = new Heartbeat(config.nodeId(), config.address(), now, demand);
    producer.send(
        new ProducerRecord<>(config.topic(), config.nodeId(), heartbeat.toJson()),
        (metadata, error) -> {
          if (error != null) {
            heartbeatDelivered = false;
            LOG.debug("heartbeat not sent: {}", error.toString());
          } else {
            heartbeatDelivered = true;
          }
        });
  }

  /** Reads one record; true when it changed what another node reports of its demand. */
  private boolean read(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return false;
    }
    if (record.value() == null) {
      directory.left(record.key());
      return false;
    }
    Heartbeat heartbeat = Heartbeat.fromJson(record.key(), record.value());
    return heartbeat != null && directory.heard(heartbeat, clock.millis());
  }

  /** Reports a new count; true if it changed. */
  private boolean report(int count) {
    if (count == nodeCount) {
      return false;
    }
    LOG.info("gateway nodes alive: {} (was {}); limits are re-shared among them", count, nodeCount);
    nodeCount = count;
    onCount.accept(count);
    return true;
  }

  private void sayGoodbye(KafkaProducer<String, byte[]> producer) {
    try {
      producer
          .send(new ProducerRecord<>(config.topic(), config.nodeId(), null))
          .get(2, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "tombstone not sent; the other nodes will notice when this node's heartbeat expires");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleepUntilStopping(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      stopping = true;
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // A heartbeat that cannot go out soon is worthless: the next one replaces it.
    int heartbeatMillis = (int) Math.max(1_000, config.heartbeat().toMillis());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, heartbeatMillis);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, heartbeatMillis);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * heartbeatMillis);
    return props;
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }
}
