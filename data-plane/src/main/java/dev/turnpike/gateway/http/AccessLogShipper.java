package dev.turnpike.gateway.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships owner-formatted access-log lines to a Kafka topic per tenant ({@code <prefix>.<tenant
 * slug>}), so that an owner can consume their own logs. An event loop only offers a line to a
 * bounded queue; a thread of its own hands lines to the producer (whose {@code send} may wait for
 * metadata or buffer space). A full queue drops the line and counts it: access logs are best
 * effort, traffic is not slowed for them.
 */
public final class AccessLogShipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogShipper.class);

  /** Marks an execution-log line among the access-log lines of a tenant's topic. */
  public static final String LOG_HEADER = "turnpike-log";

  private static final byte[] EXECUTION = "execution".getBytes(StandardCharsets.UTF_8);

  private record Line(String topic, String text, boolean execution) {}

  private final String topicPrefix;
  private final BlockingQueue<Line> lines;
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread sender;
  private volatile boolean running = true;

  /**
   * @param clientProperties the node's Kafka client settings (security among them), added to the
   *     producer's own
   */
  public AccessLogShipper(
      String topicPrefix,
      String bootstrapServers,
      Map<String, String> clientProperties,
      String nodeId,
      int queueCapacity) {
    this.topicPrefix = topicPrefix;
    this.lines = new ArrayBlockingQueue<>(queueCapacity);
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "turnpike-access-log-" + nodeId);
    // Waits on the sender thread only; past it the line is counted as failed.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.sender =
        Thread.ofPlatform().name("turnpike-access-log-kafka").daemon().unstarted(this::send);
    sender.start();
  }

  /** Never blocks: the line is queued, or dropped and counted when the queue is full. */
  void offer(String tenantSlug, String line) {
    offer(new Line(topicPrefix + "." + tenantSlug, line, false));
  }

  /**
   * An execution-log line, to the same topic as the tenant's access-log lines (whose ACL covers
   * it), with the record header {@value #LOG_HEADER}{@code =execution}. Never blocks.
   */
  void offerExecution(String tenantSlug, String line) {
    offer(new Line(topicPrefix + "." + tenantSlug, line, true));
  }

  private void offer(Line line) {
    if (!lines.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  /** Lines dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Lines the producer did not deliver (no broker, no topic, refused). */
  public long failed() {
    return failed.get();
  }

  private void send() {
    while (running || !lines.isEmpty()) {
      Line line;
      try {
        line = lines.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (line == null) {
        continue;
      }
      try {
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(line.topic(), line.text().getBytes(StandardCharsets.UTF_8));
        if (line.execution()) {
          record.headers().add(LOG_HEADER, EXECUTION);
        }
        producer.send(
            record,
            (metadata, failure) -> {
              if (failure != null) {
                failed.incrementAndGet();
              }
            });
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        LOG.debug("access-log line not shipped to {}", line.topic(), e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      sender.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
  }
}
