package dev.turnpike.gateway.cluster;

import dev.turnpike.gateway.throttle.DemandReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node writes to the membership topic: a {@link Heartbeat} each interval, and on a clean
 * stop a tombstone so that the others see it leave at once instead of after the expiry.
 */
final class HeartbeatSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSender.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  private final KafkaMembership.Config config;
  private final KafkaProducer<String, byte[]> producer;

  /** Written on the producer's thread, read on the membership thread. */
  private volatile boolean delivered;

  HeartbeatSender(KafkaMembership.Config config) {
    this.config = config;
    this.producer =
        new KafkaProducer<>(
            producerProperties(config), new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends this node's heartbeat stamped {@code nowMillis}, carrying its recent {@code demand}. */
  void send(long nowMillis, DemandReport demand) {
    Heartbeat heartbeat = new Heartbeat(config.nodeId(), config.address(), nowMillis, demand);
    producer.send(
        new ProducerRecord<>(config.topic(), config.nodeId(), heartbeat.toJson()),
        (metadata, error) -> {
          if (error != null) {
            delivered = false;
            LOG.debug("heartbeat not sent: {}", error.toString());
          } else {
            delivered = true;
          }
        });
  }

  /**
   * Sends the tombstone, but only after a heartbeat went out (the others may count this node) and
   * while Kafka answers: otherwise the goodbye would only wait for its timeout.
   */
  void sayGoodbye() {
    if (!delivered) {
      return;
    }
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

  @Override
  public void close() {
    // Heartbeats still waiting for an absent Kafka are worth nothing: do not wait them out.
    producer.close(CLOSE_TIMEOUT);
  }

  private static Map<String, Object> producerProperties(KafkaMembership.Config config) {
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
}
