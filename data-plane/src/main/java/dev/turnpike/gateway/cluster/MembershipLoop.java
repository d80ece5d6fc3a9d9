package dev.turnpike.gateway.cluster;

import dev.turnpike.gateway.throttle.DemandReport;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership thread's work: finds the topic, heartbeats every interval, reads every node's
 * heartbeats from the beginning of the topic (by assignment, so no consumer group) into the {@link
 * NodeDirectory}, and reports the settled count and re-shares the limits by demand.
 *
 * <p>It re-shares at each of its own heartbeats, whenever the count changes, and after a poll that
 * brought another node's new demand.
 */
final class MembershipLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipLoop.class);
  private static final Duration TOPIC_RETRY = Duration.ofSeconds(5);
  private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(1);

  private final KafkaMembership.Config config;
  private final NodeDirectory directory;
  private final SettledNodeCount count;
  private final KafkaMembership.Traffic traffic;
  private final Clock clock;
  private final MembershipTopic topic;
  private volatile boolean stopping;
  private volatile boolean sendTombstone = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  MembershipLoop(
      KafkaMembership.Config config,
      NodeDirectory directory,
      SettledNodeCount count,
      KafkaMembership.Traffic traffic,
      Clock clock) {
    this.config = config;
    this.directory = directory;
    this.count = count;
    this.traffic = traffic;
    this.clock = clock;
    this.topic = new MembershipTopic(config);
  }

  /**
   * Asks the loop to stop, waking a poll in progress; the caller then waits for the thread.
   *
   * @return false when it was asked before
   */
  boolean stop() {
    if (stopping) {
      return false;
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
    return true;
  }

  /** Stops without the tombstone, as a node that dies does. */
  void skipGoodbye() {
    sendTombstone = false;
  }

  @Override
  public void run() {
    HeartbeatSender heartbeats = null;
    KafkaConsumer<String, byte[]> reader = null;
    try {
      heartbeats = new HeartbeatSender(config);
      reader =
          new KafkaConsumer<>(
              consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
      consumer = reader;
      if (!stopping) {
        follow(heartbeats, reader);
      }
    } catch (WakeupException | InterruptException e) {
      // stop() woke the consumer or interrupted a wait on Kafka: stop.
    } catch (RuntimeException e) {
      LOG.error("membership stopped: the node count stays {}", count.current(), e);
    } finally {
      // Clears an interrupt from stopping, which must not cut the goodbye short.
      Thread.interrupted();
      consumer = null;
      if (heartbeats != null && sendTombstone) {
        heartbeats.sayGoodbye();
      }
      if (reader != null) {
        reader.close(CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT));
      }
      if (heartbeats != null) {
        heartbeats.close();
      }
    }
  }

  private void follow(HeartbeatSender heartbeats, KafkaConsumer<String, byte[]> reader) {
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
        partitions = topic.partitions(reader);
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
        heartbeats.send(now, own);
      }
      boolean othersReported = false;
      for (ConsumerRecord<String, byte[]> record :
          reader.poll(Duration.ofMillis(Math.min(config.heartbeat().toMillis(), 200)))) {
        othersReported |= read(record);
      }
      long readAt = clock.millis();
      SettledNodeCount.Update update = count.observe(directory.refresh(readAt), readAt);
      // Re-sharing as soon as another node's report arrives, not only at this node's own
      // heartbeat, keeps every node computing from the same reports but for the time a record
      // takes to reach them all (a poll): then the shares of a key add up to its limit. Computed
      // at each node's own heartbeat only, a node whose traffic grew took its larger share from
      // its own new report while the others kept theirs from its old one for up to a period: up
      // to 4/3 of the limit when a node joins a rotation of two.
      if (update != SettledNodeCount.Update.UNSETTLED
          && (sampled || update == SettledNodeCount.Update.CHANGED || othersReported)) {
        traffic.share(count.current(), own, directory.othersDemand());
      }
    }
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

  private void sleepUntilStopping(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      stopping = true;
      Thread.currentThread().interrupt();
    }
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
