package dev.turnpike.metering.standing;

import static dev.turnpike.db.Tables.BILLING_STANDING_OUTBOX;

import dev.turnpike.contracts.Topics;
import dev.turnpike.settings.KafkaSecurity;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes metering's billing-standing decisions ({@link
 * dev.turnpike.contracts.billing.BillingStanding} records in {@code billing_standing_outbox}) to
 * {@link Topics#BILLING_STANDING} in id order and stamps them sent; runs as the cross-tenant system
 * role on a thread of its own.
 *
 * <p>Each round runs in one transaction that first takes a PostgreSQL advisory lock, so among
 * several metering instances one relays at a time. A row is stamped only after Kafka acknowledged
 * it ({@code acks=all}, idempotent producer), so nothing is lost; a failed round is sent again
 * whole after a back-off. Unlike the config relay this one needs no Kafka transaction (and so no
 * transactional id): every record carries its app's revision, and the control plane applies only a
 * revision newer than the one it applied, so a record sent twice or out of order changes nothing.
 * The records are small and of one fixed shape, so none can be refused for its size.
 */
public final class StandingRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandingRelay.class);

  /** Advisory lock key: "standing" folded into a bigint, apart from the config relay's. */
  static final long LOCK_KEY = 0x7374616e64696e67L;

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  public record Config(
      String bootstrapServers,
      KafkaSecurity security,
      Duration pollInterval,
      int batchSize,
      Duration deliveryTimeout) {}

  private final DSLContext system;
  private final Config config;
  private final Thread thread;
  private volatile boolean running = true;
  private Producer<String, byte[]> producer;

  public StandingRelay(DSLContext system, Config config) {
    this.system = system;
    this.config = config;
    this.thread = Thread.ofPlatform().name("metering-standing-relay").daemon().unstarted(this::run);
  }

  public StandingRelay start() {
    thread.start();
    return this;
  }

  /** Whether the relay's thread still works (it stops only when closed). */
  public boolean alive() {
    return thread.isAlive();
  }

  private void run() {
    Duration backoff = config.pollInterval();
    while (running) {
      try {
        int sent = relayOnce();
        backoff = config.pollInterval();
        if (sent == 0) {
          Thread.sleep(config.pollInterval().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "billing standing relay round failed, retrying in {} ms: {}",
            backoff.toMillis(),
            e.toString());
        closeProducer();
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * One round: returns how many rows were sent and stamped.
   *
   * @throws IllegalStateException when Kafka did not acknowledge every record of the round in time;
   *     nothing of it is stamped
   */
  int relayOnce() {
    return system.transactionResult(
        configuration -> {
          DSLContext tx = DSL.using(configuration);
          Boolean leader =
              tx.select(
                      DSL.field("pg_try_advisory_xact_lock({0})", Boolean.class, DSL.val(LOCK_KEY)))
                  .fetchOne()
                  .value1();
          if (!Boolean.TRUE.equals(leader)) {
            return 0;
          }
          List<Row> rows =
              tx.select(
                      BILLING_STANDING_OUTBOX.ID,
                      BILLING_STANDING_OUTBOX.TENANT_ID,
                      BILLING_STANDING_OUTBOX.APP_ID,
                      BILLING_STANDING_OUTBOX.PAYLOAD)
                  .from(BILLING_STANDING_OUTBOX)
                  .where(BILLING_STANDING_OUTBOX.SENT_AT.isNull())
                  .orderBy(BILLING_STANDING_OUTBOX.ID)
                  .limit(config.batchSize())
                  .fetch(r -> new Row(r.value1(), r.value2(), r.value3(), r.value4()));
          if (rows.isEmpty()) {
            return 0;
          }
          send(rows);
          tx.update(BILLING_STANDING_OUTBOX)
              .set(BILLING_STANDING_OUTBOX.SENT_AT, OffsetDateTime.now(ZoneOffset.UTC))
              .where(BILLING_STANDING_OUTBOX.ID.in(rows.stream().map(Row::id).toList()))
              .execute();
          return rows.size();
        });
  }

  private record Row(long id, UUID tenantId, UUID appId, byte[] payload) {
    String key() {
      return Topics.appKey(tenantId.toString(), appId.toString());
    }
  }

  private void send(List<Row> rows) {
    Producer<String, byte[]> out = producer();
    List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
    for (Row row : rows) {
      sends.add(out.send(new ProducerRecord<>(Topics.BILLING_STANDING, row.key(), row.payload())));
    }
    long deadline = System.nanoTime() + config.deliveryTimeout().toNanos();
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing billing standings failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "publishing billing standings timed out after " + config.deliveryTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing billing standings", e);
    }
  }

  private Producer<String, byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              producerProperties(config), new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /** As the config relay's producer, without its transaction: idempotent, every replica acks. */
  static Properties producerProperties(Config config) {
    Properties props = new Properties();
    props.putAll(config.security().clientProperties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "turnpike-metering-standing");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    int timeout = (int) config.deliveryTimeout().toMillis();
    int request = Math.min(timeout, 10_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, request + 5));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    return props;
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("closing the standing producer failed", e);
      }
      producer = null;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeProducer();
  }
}
