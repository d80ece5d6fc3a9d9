package dev.turnpike.controlplane.outbox;

import static dev.turnpike.db.Tables.OUTBOX;

import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.outbox.impl.ConfigTopicSetup;
import dev.turnpike.controlplane.outbox.impl.RelayProducer;
import dev.turnpike.settings.KafkaSecurity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outbox rows to Kafka in id order and stamps them sent; runs as the cross-tenant system
 * role on a thread of its own.
 *
 * <p>Each round runs in one transaction that first takes a PostgreSQL advisory lock, so among
 * several control-plane instances one relays at a time and rows are never sent out of order by two
 * relays racing. The round reads the oldest pending rows, sends them through an idempotent producer
 * ({@code acks=all}) as one Kafka transaction, and stamps them once the transaction committed. A
 * row is stamped only after Kafka has it, so nothing is lost; a crash between commit and stamp
 * sends the round again in the same order, which a compacted topic (latest value per key) absorbs.
 * After a failure the producer is replaced and the round is sent again after a back-off.
 *
 * <p>A row Kafka refuses for what it is (too large, invalid) would fail every retry and hold up all
 * rows behind it, of every tenant. Such a row is parked: stamped failed with the reason, counted in
 * {@code turnpike_outbox_records_parked_total}, and the round is sent again without it at once. The
 * rows it shared the aborted Kafka transaction with go out in the next round in their order, so
 * records of one key still arrive in the order written; the gateways keep the key's previous
 * record. A refusal that is not the record's own (Kafka away, timeouts, authorization) is retried
 * in order as before.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /** Advisory lock key: "turnpike outbox" folded into a bigint. */
  static final long LOCK_KEY = 0x7475726e70696b65L;

  /**
   * @param security how the relay authenticates to Kafka (its producer and admin client)
   * @param topicsToCreate compacted topics created at start when missing, empty for none
   * @param recordLimit sizes the producer's requests and the topics it creates
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
      String transactionalId,
      ConfigRecordLimit recordLimit) {
    /**
     * The transactional id every control plane relays under (infra/kafka/acls.txt grants it): one
     * for all instances, so the next relay fences a stale one off.
     */
    public static final String TRANSACTIONAL_ID = "turnpike-outbox-relay";

    public static List<String> configTopics() {
      return List.of(Topics.DEPLOYMENTS, Topics.KEYS, Topics.PLANS, Topics.DOMAINS);
    }
  }

  private final DSLContext system;
  private final Config config;
  private final MeterRegistry metrics;
  private final Thread thread;
  private volatile boolean running = true;
  private RelayProducer producer;
  private boolean topicsReady;

  public OutboxRelay(DSLContext system, Config config, MeterRegistry metrics) {
    this.system = system;
    this.config = config;
    this.metrics = metrics;
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
          ConfigTopicSetup.ensure(
              config.bootstrapServers(),
              config.security(),
              config.deliveryTimeout(),
              new ConfigTopicSetup.Topics(
                  config.topicsToCreate(),
                  config.partitions(),
                  config.replicationFactor(),
                  config.recordLimit()));
          topicsReady = true;
        }
        int done = relayOnce();
        backoff = config.pollInterval();
        if (done == 0) {
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
   * One round: returns how many rows were sent and stamped, or parked.
   *
   * @throws org.apache.kafka.common.KafkaException when Kafka refused or lost the round for a
   *     reason that is not one record's; nothing of it is stamped, and read-committed consumers
   *     (the gateway) never see its records
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
          List<RelayProducer.Row> rows =
              tx.select(
                      OUTBOX.ID, OUTBOX.TENANT_ID, OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
                  .from(OUTBOX)
                  .where(OUTBOX.SENT_AT.isNull(), OUTBOX.FAILED_AT.isNull())
                  .orderBy(OUTBOX.ID)
                  .limit(config.batchSize())
                  .fetch(
                      r ->
                          new RelayProducer.Row(
                              r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
          if (rows.isEmpty()) {
            return 0;
          }
          RelayProducer.Refusal refusal = producer().send(rows);
          if (refusal != null) {
            closeProducer();
            park(tx, refusal);
            return 1;
          }
          tx.update(OUTBOX)
              .set(OUTBOX.SENT_AT, OffsetDateTime.now(ZoneOffset.UTC))
              .where(OUTBOX.ID.in(rows.stream().map(RelayProducer.Row::id).toList()))
              .execute();
          return rows.size();
        });
  }

  private void park(DSLContext tx, RelayProducer.Refusal refusal) {
    RelayProducer.Row row = refusal.row();
    String reason = refusal.reason();
    tx.update(OUTBOX)
        .set(OUTBOX.FAILED_AT, OffsetDateTime.now(ZoneOffset.UTC))
        .set(OUTBOX.FAILURE, reason)
        .where(OUTBOX.ID.eq(row.id()))
        .execute();
    Counter parked =
        Counter.builder("turnpike_outbox_records_parked")
            .description("Outbox records Kafka refused for what they are, set aside as failed")
            .tag("topic", row.topic())
            .register(metrics);
    parked.increment();
    LOG.warn(
        "parked outbox row {} (tenant {}, topic {}, key {}) as failed, {} parked on this topic"
            + " since start: {}",
        row.id(),
        row.tenantId(),
        row.topic(),
        row.key(),
        (long) parked.count(),
        reason);
  }

  private RelayProducer producer() {
    if (producer == null) {
      producer =
          RelayProducer.open(
              new RelayProducer.Settings(
                  config.bootstrapServers(),
                  config.security(),
                  config.transactionalId(),
                  config.deliveryTimeout(),
                  config.recordLimit()));
    }
    return producer;
  }

  private void pause(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close();
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
