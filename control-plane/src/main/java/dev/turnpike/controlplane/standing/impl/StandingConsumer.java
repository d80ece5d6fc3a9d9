package dev.turnpike.controlplane.standing.impl;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.json.ContractDecodingException;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.standing.BillingStandings;
import dev.turnpike.controlplane.tenant.Role;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.impl.JooqTenantTx;
import dev.turnpike.migrations.TenantTransactions;
import dev.turnpike.settings.KafkaSecurity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads billing's standing decisions ({@link Topics#BILLING_STANDING}, written by metering) and
 * applies each in its app's tenant scope through {@link BillingStandings}, which republishes the
 * app's keys through the control plane's own outbox. Runs on a thread of its own.
 *
 * <p>Offsets are committed to Kafka after the records before them were applied, so a crash applies
 * a record again rather than never; applying is idempotent (only a newer revision changes
 * anything). A record that cannot be read is logged and skipped: no retry makes it readable, and
 * the next decision about the app carries the whole standing again. When the database fails, the
 * consumer goes back to the first record not applied and retries it after a back-off, so decisions
 * are never skipped.
 */
public final class StandingConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandingConsumer.class);

  /** The consumer group every control plane reads the standings in (infra/kafka/acls.txt). */
  public static final String GROUP = "turnpike-control-plane-standing";

  /** Who the audit trail and the transaction name as acting: billing, through metering. */
  static final Caller BILLING = new Caller(null, "turnpike-billing", null, "billing");

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * @param topicRefresh how soon a topic created after start (metering creates it) is found
   */
  public record Config(
      String bootstrapServers,
      KafkaSecurity security,
      String groupId,
      Duration pollTimeout,
      Duration retryBackoff,
      Duration topicRefresh) {}

  private final DSLContext app;
  private final Stores<DSLContext> stores;
  private final BillingStandings standings;
  private final Clock clock;
  private final Config config;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param app the tenant-scoped application login (row-level security applies)
   * @param stores what the transactions open; the use case's ports are wired from the same stores
   *     (ports of other stores are refused when used)
   */
  public StandingConsumer(DSLContext app, Stores<DSLContext> stores, Clock clock, Config config) {
    this.app = app;
    this.stores = stores;
    this.standings = BillingStandings.on(stores);
    this.clock = clock;
    this.config = config;
    this.consumer =
        new KafkaConsumer<>(
            properties(config), new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name("cp-standing-consumer").daemon().unstarted(this::run);
  }

  static Properties properties(Config config) {
    Properties props = new Properties();
    props.putAll(config.security().clientProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "turnpike-control-plane-standing");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // A group that starts fresh applies every standing still on the compacted topic.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) config.topicRefresh().toMillis());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    return props;
  }

  public StandingConsumer start() {
    thread.start();
    return this;
  }

  private void run() {
    Duration backoff = config.retryBackoff();
    try {
      consumer.subscribe(List.of(Topics.BILLING_STANDING));
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
        batch:
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
            try {
              apply(record);
              backoff = config.retryBackoff();
            } catch (RuntimeException e) {
              if (!running) {
                return;
              }
              LOG.warn(
                  "applying billing standing {} at {}-{} failed, retrying in {} ms: {}",
                  record.key(),
                  partition,
                  record.offset(),
                  backoff.toMillis(),
                  e.toString());
              // Back to the record not applied, for this and every partition not done yet.
              rewind(records, partition, record.offset());
              Thread.sleep(backoff.toMillis());
              backoff =
                  backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                      ? MAX_BACKOFF
                      : backoff.multipliedBy(2);
              break batch;
            }
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("billing standing consumer woken up while running", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("billing standing consumer stopped: {}", e.toString(), e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void rewind(
      ConsumerRecords<String, byte[]> records, TopicPartition failed, long failedOffset) {
    consumer.seek(failed, failedOffset);
    boolean after = false;
    for (TopicPartition partition : records.partitions()) {
      if (partition.equals(failed)) {
        after = true;
      } else if (after) {
        consumer.seek(partition, records.records(partition).getFirst().offset());
      }
    }
  }

  /** Applies one record; a record that cannot be read is logged and skipped. */
  void apply(ConsumerRecord<String, byte[]> record) {
    BillingStanding decision;
    UUID tenantId;
    try {
      decision = BillingStanding.CODEC.decode(record.value());
      tenantId = UUID.fromString(decision.tenantId());
      UUID.fromString(decision.appId());
    } catch (ContractDecodingException | IllegalArgumentException | NullPointerException e) {
      LOG.warn(
          "skipping billing standing {} at offset {} that cannot be read: {}",
          record.key(),
          record.offset(),
          e.getMessage());
      return;
    }
    BillingStandings.Outcome outcome =
        TenantTransactions.inTenant(
            app,
            tenantId,
            configuration -> {
              Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
              return standings.apply(
                  new JooqTenantTx(
                      DSL.using(configuration),
                      tenantId,
                      BILLING,
                      Role.ADMIN,
                      now,
                      stores.openOn(DSL.using(configuration), tenantId)),
                  decision);
            });
    LOG.info(
        "billing standing of app {} (tenant {}) revision {}: {} -> {}",
        decision.appId(),
        decision.tenantId(),
        decision.revision(),
        decision.standing(),
        outcome);
  }

  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
