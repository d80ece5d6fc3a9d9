package dev.turnpike.controlplane.outbox.impl;

import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.settings.KafkaSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's transactional producer: sends a round of outbox rows as one Kafka transaction and,
 * when the transaction fails, tells whether one row's record was refused for what it is.
 */
public final class RelayProducer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayProducer.class);

  /** The longest a failure reason kept on a row gets (the column allows 2000). */
  private static final int MAX_REASON_CHARS = 1900;

  /** One pending outbox row; a null payload is a tombstone. */
  public record Row(long id, UUID tenantId, String topic, String key, byte[] payload) {}

  /** Kafka refused {@code row}'s record for what it is, so no retry can publish it. */
  public record Refusal(Row row, String reason) {}

  /**
   * @param transactionalId one for every instance: a relay that lost its database lock but still
   *     talks to Kafka is fenced off by the next one's {@code initTransactions} and cannot commit a
   *     stale round
   */
  public record Settings(
      String bootstrapServers,
      KafkaSecurity security,
      String transactionalId,
      Duration deliveryTimeout,
      ConfigRecordLimit recordLimit) {}

  private final Producer<String, byte[]> producer;
  private final Duration deliveryTimeout;

  private RelayProducer(Producer<String, byte[]> producer, Duration deliveryTimeout) {
    this.producer = producer;
    this.deliveryTimeout = deliveryTimeout;
  }

  /** Connects and initialises the transactions; throws when Kafka cannot be reached in time. */
  public static RelayProducer open(Settings settings) {
    KafkaProducer<String, byte[]> created =
        new KafkaProducer<>(
            properties(settings), new StringSerializer(), new ByteArraySerializer());
    try {
      created.initTransactions();
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
    return new RelayProducer(created, settings.deliveryTimeout());
  }

  static Properties properties(Settings settings) {
    Properties props = new Properties();
    props.putAll(settings.security().clientProperties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "turnpike-outbox-relay");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // Config is JSON that compresses several times over; the topics hold the compressed batch.
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, ConfigRecordLimit.COMPRESSION);
    // The producer checks a record's size before compressing it, against both of these.
    int maxRequest = settings.recordLimit().producerMaxRequestSize();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 2L * maxRequest));
    int timeout = (int) settings.deliveryTimeout().toMillis();
    int request = Math.min(timeout, 10_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, request + 5));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    return props;
  }

  /**
   * Sends the rows as one Kafka transaction. A failed send inside an idempotent producer can let
   * later records of the round through before it is retried; inside a transaction such a round is
   * aborted whole, so consumers reading committed records see each round once, in order, or not at
   * all.
   *
   * @return null when the transaction committed; the first row whose record Kafka refused for what
   *     it is when it did not (the transaction is then abandoned: close this producer)
   * @throws KafkaException when the round failed for a reason that is not one record's
   */
  public Refusal send(List<Row> rows) {
    List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
    try {
      producer.beginTransaction();
      for (Row row : rows) {
        sends.add(producer.send(new ProducerRecord<>(row.topic(), row.key(), row.payload())));
      }
      producer.commitTransaction();
      return null;
    } catch (KafkaException e) {
      Refusal refusal = firstRefusal(rows, sends, e);
      if (refusal == null && isRefusal(e) && sends.size() < rows.size()) {
        // The producer threw the record's refusal instead of returning it in its future.
        Row refused = rows.get(sends.size());
        refusal = new Refusal(refused, reason(refused, e));
      }
      if (refusal == null) {
        throw e;
      }
      return refusal;
    }
  }

  /**
   * The first row, in order, whose send failed with an error of its own record. Sends after a
   * refusal fail too, with errors of the aborted transaction, which are not refusals; so are the
   * ones that never got to be sent. Sends still in flight are waited for only when the round's
   * failure names a refusal: the producer completes a refused send's future just after it fails the
   * transaction. Otherwise (fenced, Kafka away) they may stay open until the producer closes, and
   * the round is retried at once; a refusal missed that way is found when it is sent again.
   */
  private Refusal firstRefusal(List<Row> rows, List<Future<RecordMetadata>> sends, Throwable why) {
    long deadline = System.nanoTime() + (causedByRefusal(why) ? deliveryTimeout.toNanos() : 0);
    for (int i = 0; i < sends.size(); i++) {
      Throwable failure = failure(sends.get(i), deadline);
      if (isRefusal(failure)) {
        return new Refusal(rows.get(i), reason(rows.get(i), failure));
      }
    }
    return null;
  }

  private static boolean causedByRefusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (isRefusal(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        return false;
      }
    }
    return false;
  }

  private static Throwable failure(Future<RecordMetadata> send, long deadline) {
    long wait = deadline - System.nanoTime();
    if (wait <= 0 && !send.isDone()) {
      return null;
    }
    try {
      send.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  /**
   * Errors a record earns by what it is, which no retry changes. Everything else (brokers away,
   * timeouts, fencing, authorization, a codec the broker lacks) concerns every record alike and is
   * retried in order.
   */
  static boolean isRefusal(Throwable failure) {
    return failure instanceof RecordTooLargeException
        || failure instanceof RecordBatchTooLargeException
        || failure instanceof InvalidRecordException
        || failure instanceof InvalidTopicException
        || failure instanceof SerializationException;
  }

  static String reason(Row row, Throwable failure) {
    String kafka = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    String reason;
    if (failure instanceof RecordTooLargeException
        || failure instanceof RecordBatchTooLargeException) {
      reason =
          "the config record of "
              + ConfigRecordLimit.measure(row.key(), row.payload())
              + " exceeds the size limit Kafka accepts ("
              + kafka
              + ")";
    } else {
      reason = "Kafka refused the config record (" + kafka + ")";
    }
    return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS);
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("closing the producer failed", e);
    }
  }
}
