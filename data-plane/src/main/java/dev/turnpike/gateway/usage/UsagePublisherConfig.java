package dev.turnpike.gateway.usage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How a node publishes its usage events.
 *
 * @param bootstrapServers Kafka's {@code host:port} list
 * @param spoolDir where events wait while Kafka is away; one publisher per directory
 * @param spoolMaxBytes the most disk the spool may use; beyond it events are dropped and counted
 * @param queueCapacity events waiting for the publisher thread; beyond it events are dropped and
 *     counted. Size it for the traffic of a few hundred milliseconds.
 * @param unhealthyAfter how long sent events may go unacknowledged before Kafka counts as away and
 *     new events go to the spool; also how long {@link KafkaUsagePublisher#close()} waits for acks
 * @param nodeId names the producer ({@code client.id}) and the publisher thread
 * @param producerOverrides extra producer settings (TLS, SASL, tuning); those the delivery
 *     guarantees rest on ({@link #FIXED_PRODUCER_SETTINGS}) cannot be overridden
 */
public record UsagePublisherConfig(
    String bootstrapServers,
    Path spoolDir,
    long spoolMaxBytes,
    int queueCapacity,
    Duration unhealthyAfter,
    String nodeId,
    Map<String, String> producerOverrides) {

  public static final long MIN_SPOOL_BYTES = 64 * 1024;
  public static final int MAX_QUEUE_CAPACITY = 1 << 24;

  /** Settings "none lost, none doubled" depends on; see {@link KafkaUsagePublisher}. */
  public static final Set<String> FIXED_PRODUCER_SETTINGS =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  public UsagePublisherConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    if (spoolDir == null) {
      throw new IllegalArgumentException("spoolDir must be set");
    }
    if (spoolMaxBytes < MIN_SPOOL_BYTES) {
      throw new IllegalArgumentException(
          "spoolMaxBytes must be at least " + MIN_SPOOL_BYTES + ", was " + spoolMaxBytes);
    }
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          "queueCapacity must be between 1 and " + MAX_QUEUE_CAPACITY + ", was " + queueCapacity);
    }
    if (unhealthyAfter == null || unhealthyAfter.toMillis() < 10) {
      throw new IllegalArgumentException(
          "unhealthyAfter must be at least 10 ms, was " + unhealthyAfter);
    }
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId must not be blank");
    }
    producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
    for (String key : producerOverrides.keySet()) {
      if (FIXED_PRODUCER_SETTINGS.contains(key)) {
        throw new IllegalArgumentException(
            "producerOverrides must not set " + key + ": usage delivery depends on its value");
      }
    }
    validateProducerProperties(producerProperties(bootstrapServers, nodeId, producerOverrides));
  }

  /**
   * Parses the settings as the producer will, so a bad override stops start-up naming its key, and
   * checks what the idempotent producer requires of the overridable ones.
   */
  private static void validateProducerProperties(Map<String, Object> props) {
    Map<String, Object> parsed;
    try {
      parsed = ProducerConfig.configDef().parse(props);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("producerOverrides: " + e.getMessage(), e);
    }
    int inFlight = (Integer) parsed.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
    if (inFlight > 5) {
      throw new IllegalArgumentException(
          "producerOverrides: "
              + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION
              + " must be at most 5 for an idempotent producer, was "
              + inFlight);
    }
    if ((Integer) parsed.get(ProducerConfig.RETRIES_CONFIG) < 1) {
      throw new IllegalArgumentException(
          "producerOverrides: " + ProducerConfig.RETRIES_CONFIG + " must be at least 1");
    }
  }

  /** A node's defaults: a 256 MiB spool, room for 65536 queued events, unhealthy after 2 s. */
  public static UsagePublisherConfig defaults(
      String bootstrapServers, Path spoolDir, String nodeId) {
    return new UsagePublisherConfig(
        bootstrapServers,
        spoolDir,
        256L * 1024 * 1024,
        65_536,
        Duration.ofSeconds(2),
        nodeId,
        Map.of());
  }

  /** The producer's settings: the fixed ones, the tuned defaults, then the overrides. */
  public Map<String, Object> producerProperties() {
    return producerProperties(bootstrapServers, nodeId, producerOverrides);
  }

  private static Map<String, Object> producerProperties(
      String bootstrapServers, String nodeId, Map<String, String> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "turnpike-usage-" + nodeId);
    // Records wait in the producer, retried with their sequence numbers, for as long as the node
    // lives: an outage never makes a record expire, which is the one ambiguous outcome.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    // send() blocks the publisher thread (never an event loop) for metadata or buffer space; past
    // this the event goes to the spool instead.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
    // A record waits up to 50 ms for others to the same partition: events are keyed by API key,
    // so they spread over every partition, and at 20,000 events/s a 10 ms wait made batches of
    // ~30 records per partition, each a produce request the I/O thread pays for. 50 ms made the
    // publisher and producer threads' CPU per event about 38% lower (infra/bench/README.md, "Usage-
    // event cost"); it delays usage delivery to metering by at most 40 ms more.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.putAll(overrides);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }
}
