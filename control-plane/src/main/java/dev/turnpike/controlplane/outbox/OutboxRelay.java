package dev.turnpike.controlplane.outbox;

import static dev.turnpike.db.Tables.OUTBOX;

import dev.turnpike.contracts.Topics;
import dev.turnpike.settings.KafkaSecurity;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outbox rows to Kafka in id order and stamps them sent; runs as the cross-tenant system
 * role on a thread of its own.
 *
 * <p>Each round runs in one transaction that first takes a PostgreSQL advisory lock, so among
 * several control-plane instances one relays at a time and rows are never sent out of order by two
 * relays racing. The round reads the oldest unsent rows, sends them through an idempotent producer
 * ({@code acks=all}) as one Kafka transaction, and stamps them once the transaction committed. A
 * row is stamped only after Kafka has it, so nothing is lost; a crash between commit and stamp
 * sends the round again in the same order, which a compacted topic (latest value per key) absorbs.
 * After a failure the producer is replaced and the round is sent again after a back-off.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** Advisory lock key: "turnpike outbox" folded into a bigint. */
  static final long LOCK_KEY = 0x7475726e70696b65L;

  /**
   * @param security how the relay authenticates to Kafka (its producer and admin client)
   * @param topicsToCreate compacted topics created at start when missing, empty for none
   */
  public record Config(
      String bootstrapServers,
      KafkaSecurity security,
      Duration pollInterval,
      int batchSize,
      Duration deliveryTimeout,
      List<String> topicsToCreate,
      int partitions,
      short replicationFactor,
      String transactionalId) {
    /**
     * The transactional id every control plane relays under (infra/kafka/acls.txt grants it): one
     * for all instances, so the next relay fences a stale one off.
     */
    public static final String TRANSACTIONAL_ID = "turnpike-outbox-relay";

    public static List<String> configTopics() {
      return List.of(Topics.DEPLOYMENTS, Topics.KEYS, Topics.PLANS);
    }
  }

  private final DSLContext system;
  private final Config config;
  private final Thread thread;
  private volatile boolean running = true;
  private Producer<String, byte[]> producer;
  private boolean topicsReady;

  public OutboxRelay(DSLContext system, Config config) {
    this.system = system;
    this.config = config;
    this.topicsReady = config.topicsToCreate().isEmpty();
    this.thread = Thread.ofPlatform().name("cp-outbox-relay").daemon().unstarted(this::run);
  }

  public OutboxRelay start() {
    thread.start();
    return this;
  }

  private void run() {
    Duration backoff = config.pollInterval();
    while (running) {
      try {
        if (!topicsReady) {
          createTopics();
          topicsReady = true;
        }
        int sent = relayOnce();
        backoff = config.pollInterval();
        if (sent == 0) {
          pause(config.pollInterval());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ProducerFencedException e) {
        // Another instance relayed in between and took over the transactional id; take it back.
        closeProducer();
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "outbox relay round failed, retrying in {} ms: {}", backoff.toMillis(), e.toString());
        closeProducer();
        try {
          pause(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * One round: returns how many rows were sent and stamped.
   *
   * @throws KafkaException when Kafka refused or lost the round; nothing of it is stamped, and
   *     read-committed consumers (the gateway) never see its records
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
          var rows =
              tx.select(OUTBOX.ID, OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
                  .from(OUTBOX)
                  .where(OUTBOX.SENT_AT.isNull())
                  .orderBy(OUTBOX.ID)
                  .limit(config.batchSize())
                  .fetch();
          if (rows.isEmpty()) {
            return 0;
          }
          send(rows);
          tx.update(OUTBOX)
              .set(OUTBOX.SENT_AT, OffsetDateTime.now(ZoneOffset.UTC))
              .where(OUTBOX.ID.in(rows.map(r -> r.value1())))
              .execute();
          return rows.size();
        });
  }

  /**
   * Sends the round as one Kafka transaction. A failed send inside an idempotent producer can let
   * later records of the round through before it is retried; inside a transaction such a round is
   * aborted whole, so consumers reading committed records see each round once, in order, or not at
   * all.
   */
  private void send(List<Record4<Long, String, String, byte[]>> rows) {
    Producer<String, byte[]> out = producer();
    out.beginTransaction();
    for (var row : rows) {
      out.send(new ProducerRecord<>(row.value2(), row.value3(), row.value4()));
    }
    out.commitTransaction();
  }

  private Producer<String, byte[]> producer() {
    if (producer == null) {
      Properties props = new Properties();
      props.putAll(config.security().clientProperties());
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      props.put(ProducerConfig.CLIENT_ID_CONFIG, "turnpike-outbox-relay");
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      // One id for every instance: a relay that lost its database lock but still talks to Kafka is
      // fenced off by the next one's initTransactions and cannot commit a stale round.
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
      props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      int timeout = (int) config.deliveryTimeout().toMillis();
      int request = Math.min(timeout, 10_000);
      props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request);
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeout, request + 5));
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
      KafkaProducer<String, byte[]> created =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
      try {
        created.initTransactions();
      } catch (RuntimeException e) {
        created.close(Duration.ZERO);
        throw e;
      }
      producer = created;
    }
    return producer;
  }

  private void createTopics() throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, Object> adminProps = new HashMap<>(config.security().clientProperties());
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    adminProps.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.deliveryTimeout().toMillis());
    adminProps.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(config.deliveryTimeout().toMillis(), 10_000));
    try (Admin admin = Admin.create(adminProps)) {
      List<NewTopic> topics =
          config.topicsToCreate().stream()
              .map(
                  name ->
                      new NewTopic(name, config.partitions(), config.replicationFactor())
                          .configs(
                              Map.of(
                                  TopicConfig.CLEANUP_POLICY_CONFIG,
                                  TopicConfig.CLEANUP_POLICY_COMPACT)))
              .toList();
      for (var result : admin.createTopics(topics).values().values()) {
        try {
          result.get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  private void pause(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("closing the producer failed", e);
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
