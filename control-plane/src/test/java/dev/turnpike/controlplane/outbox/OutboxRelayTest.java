package dev.turnpike.controlplane.outbox;

import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.turnpike.controlplane.testing.RestartableKafka;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxRelayTest {
  static final UUID TENANT = UUID.randomUUID();
  TestDatabase db;
  DSLContext owner;

  @BeforeAll
  void seed(TestDatabase db) {
    this.db = db;
    owner = db.ownerDsl();
    owner
        .insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME)
        .values(TENANT, "relay", "Relay")
        .execute();
  }

  /** Writes {@code count} rows to a fresh topic: keys cycle over 3, values carry a sequence. */
  String appendRows(String topic, int from, int count) {
    for (int i = from; i < from + count; i++) {
      owner
          .insertInto(OUTBOX, OUTBOX.TENANT_ID, OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
          .values(TENANT, topic, "key-" + (i % 3), ("" + i).getBytes(StandardCharsets.UTF_8))
          .execute();
    }
    return topic;
  }

  int unsent(String topic) {
    return owner.fetchCount(
        OUTBOX, OUTBOX.TOPIC.eq(topic), OUTBOX.SENT_AT.isNull(), OUTBOX.FAILED_AT.isNull());
  }

  int failed(String topic) {
    return owner.fetchCount(OUTBOX, OUTBOX.TOPIC.eq(topic), OUTBOX.FAILED_AT.isNotNull());
  }

  OutboxRelay relay(String bootstrap, List<String> topics) {
    return relay(bootstrap, topics, ConfigRecordLimit.defaults());
  }

  OutboxRelay relay(String bootstrap, List<String> topics, ConfigRecordLimit limit) {
    PGSimpleDataSource system = (PGSimpleDataSource) db.systemDataSource();
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(db.jdbcUrl());
    pool.setUsername(system.getUser());
    pool.setPassword(system.getPassword());
    pool.setMaximumPoolSize(2);
    pools.add(pool);
    return new OutboxRelay(
            DSL.using(pool, SQLDialect.POSTGRES),
            new OutboxRelay.Config(
                bootstrap,
                KafkaSecurity.plaintext(),
                Duration.ofMillis(20),
                7,
                Duration.ofSeconds(3),
                topics,
                1,
                (short) 1,
                transactionalId,
                limit),
            metrics)
        .start();
  }

  final List<HikariDataSource> pools = new ArrayList<>();
  SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  // One per test: tests share a broker, and relays of different tests must not fence each other.
  String transactionalId = "relay-test";

  @org.junit.jupiter.api.BeforeEach
  void newTransactionalId() {
    transactionalId = "relay-test-" + UUID.randomUUID();
    metrics = new SimpleMeterRegistry();
  }

  /**
   * How long relaying may take before a test fails. A round is milliseconds on a quiet machine, but
   * under a loaded CI run a round can outlast the tests' 3 s delivery timeout, and each failed
   * round backs off up to 10 s (with two relays, each also re-initializes its fenced producer): CI
   * once saw 50 rows take over 20 s. The bound only decides how long a real failure takes.
   */
  static final Duration RELAYED_WITHIN = Duration.ofSeconds(90);

  static void await(Duration timeout, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static List<Integer> sequence(String bootstrap, String topic, int atLeast) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // As the gateway reads: aborted rounds are never seen.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Integer> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (values.size() < atLeast && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          int value = Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8));
          assertThat(r.key()).isEqualTo("key-" + (value % 3));
          values.add(value);
        }
      }
    }
    return values;
  }

  /**
   * Nothing lost and nothing reordered: every row arrived, and any repeat is a resend of a suffix,
   * so each value's last occurrence comes in id order and the log ends with the newest rows.
   */
  static void assertCompleteAndOrdered(List<Integer> log, int rows) {
    assertThat(new LinkedHashSet<>(log)).containsExactlyElementsOf(range(rows));
    List<Integer> lastOccurrences = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      if (log.subList(i + 1, log.size()).stream().noneMatch(log.get(i)::equals)) {
        lastOccurrences.add(log.get(i));
      }
    }
    assertThat(lastOccurrences).containsExactlyElementsOf(range(rows));
  }

  static List<Integer> range(int rows) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      all.add(i);
    }
    return all;
  }

  @Nested
  class Publishing {
    @Test
    void publishes_unsent_rows_in_id_order_and_marks_them_sent(KafkaBroker kafka) {
      String topic = appendRows("turnpike.test." + UUID.randomUUID(), 0, 30);
      OutboxRelay relay = relay(kafka.bootstrapServers(), List.of(topic));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        relay.close();
      }
      assertThat(sequence(kafka.bootstrapServers(), topic, 30))
          .containsExactlyElementsOf(range(30));
    }

    @Test
    void tombstones_go_out_as_null_values(KafkaBroker kafka) {
      String topic = "turnpike.test." + UUID.randomUUID();
      owner
          .insertInto(OUTBOX, OUTBOX.TENANT_ID, OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
          .values(TENANT, topic, "gone", null)
          .execute();
      OutboxRelay relay = relay(kafka.bootstrapServers(), List.of(topic));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        relay.close();
      }
      var records = kafka.readAll(topic, 1, Duration.ofSeconds(10));
      assertThat(records).hasSize(1);
      assertThat(records.getFirst().key()).isEqualTo("gone");
      assertThat(records.getFirst().value()).isNull();
    }
  }

  /** A row of {@code bytes} random bytes under {@code key}, which compression cannot shrink. */
  long appendLarge(String topic, String key, int bytes) {
    byte[] payload = new byte[bytes];
    new Random(bytes).nextBytes(payload);
    return owner
        .insertInto(OUTBOX, OUTBOX.TENANT_ID, OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
        .values(TENANT, topic, key, payload)
        .returning(OUTBOX.ID)
        .fetchOne()
        .getId();
  }

  /** A compacted topic whose records may be at most {@code maxMessageBytes}. */
  static void createTopic(KafkaBroker kafka, String topic, int maxMessageBytes) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT,
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                              Integer.toString(maxMessageBytes)))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  double parkedCount(String topic) {
    var counter = metrics.find("turnpike_outbox_records_parked").tag("topic", topic).counter();
    return counter == null ? 0 : counter.count();
  }

  @Nested
  class Parking {
    @Test
    void parks_a_record_the_topic_refuses_and_publishes_the_rows_behind_it_in_order(
        KafkaBroker kafka) throws Exception {
      String topic = "turnpike.test." + UUID.randomUUID();
      createTopic(kafka, topic, 16 * 1024);
      appendRows(topic, 0, 5);
      long large = appendLarge(topic, "key-1", 64 * 1024);
      appendRows(topic, 5, 10);
      OutboxRelay relay = relay(kafka.bootstrapServers(), List.of(topic));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        relay.close();
      }
      var parked = owner.selectFrom(OUTBOX).where(OUTBOX.ID.eq(large)).fetchOne();
      assertThat(parked.getSentAt()).isNull();
      assertThat(parked.getFailedAt()).isNotNull();
      assertThat(parked.getFailure())
          .contains("exceeds the size limit Kafka accepts")
          .contains("0.1 MB")
          .contains("RecordTooLargeException");
      assertThat(failed(topic)).isEqualTo(1);
      assertThat(parkedCount(topic)).isEqualTo(1.0);
      // The parked record is not on the topic (it would not parse as a number), and the rows it
      // shared a Kafka transaction with arrive once, in order, around it.
      assertThat(sequence(kafka.bootstrapServers(), topic, 15))
          .containsExactlyElementsOf(range(15));
    }

    @Test
    void parks_a_record_the_producer_refuses_before_sending_it(KafkaBroker kafka) {
      String topic = "turnpike.test." + UUID.randomUUID();
      long large = appendLarge(topic, "key-2", 256 * 1024);
      appendRows(topic, 0, 9);
      OutboxRelay relay =
          relay(
              kafka.bootstrapServers(),
              List.of(topic),
              new ConfigRecordLimit(64 * 1024, 96 * 1024));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        relay.close();
      }
      String failure =
          owner.select(OUTBOX.FAILURE).from(OUTBOX).where(OUTBOX.ID.eq(large)).fetchOne().value1();
      assertThat(failure).contains("max.request.size").contains("0.3 MB");
      assertThat(parkedCount(topic)).isEqualTo(1.0);
      assertThat(sequence(kafka.bootstrapServers(), topic, 9)).containsExactlyElementsOf(range(9));
    }

    @Test
    void goes_on_past_several_refused_records_within_one_round(KafkaBroker kafka) throws Exception {
      String topic = "turnpike.test." + UUID.randomUUID();
      createTopic(kafka, topic, 16 * 1024);
      for (int i = 0; i < 6; i++) {
        appendRows(topic, i * 2, 2);
        appendLarge(topic, "key-" + i, 32 * 1024 + i);
      }
      OutboxRelay relay = relay(kafka.bootstrapServers(), List.of(topic));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        relay.close();
      }
      assertThat(failed(topic)).isEqualTo(6);
      assertThat(parkedCount(topic)).isEqualTo(6.0);
      assertThat(sequence(kafka.bootstrapServers(), topic, 12))
          .containsExactlyElementsOf(range(12));
    }
  }

  @Nested
  class Restarts {
    @Test
    void survives_its_own_restart_without_loss_or_reordering(KafkaBroker kafka) {
      String topic = appendRows("turnpike.test." + UUID.randomUUID(), 0, 40);
      OutboxRelay first = relay(kafka.bootstrapServers(), List.of(topic));
      await(RELAYED_WITHIN, () -> unsent(topic) < 40);
      first.close();
      appendRows(topic, 40, 20);
      OutboxRelay second = relay(kafka.bootstrapServers(), List.of(topic));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        second.close();
      }
      assertCompleteAndOrdered(sequence(kafka.bootstrapServers(), topic, 60), 60);
    }

    @Test
    void survives_a_kafka_restart_without_loss_or_reordering() {
      try (RestartableKafka kafka = RestartableKafka.start()) {
        String topic = appendRows("turnpike.test." + UUID.randomUUID(), 0, 20);
        OutboxRelay relay = relay(kafka.bootstrapServers(), List.of(topic));
        try {
          await(RELAYED_WITHIN, () -> unsent(topic) == 0);
          kafka.stopBroker();
          appendRows(topic, 20, 20);
          // Nothing can be stamped while Kafka is away.
          assertThat(unsent(topic)).isEqualTo(20);
          kafka.startBroker();
          await(RELAYED_WITHIN, () -> unsent(topic) == 0);
        } finally {
          relay.close();
        }
        // Kafka being away is every record's problem, not one's: nothing is parked.
        assertThat(failed(topic)).isZero();
        assertCompleteAndOrdered(sequence(kafka.bootstrapServers(), topic, 40), 40);
      }
    }

    @Test
    void only_one_relay_publishes_at_a_time(KafkaBroker kafka) {
      String topic = appendRows("turnpike.test." + UUID.randomUUID(), 0, 50);
      OutboxRelay a = relay(kafka.bootstrapServers(), List.of(topic));
      OutboxRelay b = relay(kafka.bootstrapServers(), List.of(topic));
      try {
        await(RELAYED_WITHIN, () -> unsent(topic) == 0);
      } finally {
        a.close();
        b.close();
      }
      assertThat(sequence(kafka.bootstrapServers(), topic, 50))
          .containsExactlyElementsOf(range(50));
    }
  }

  @org.junit.jupiter.api.AfterAll
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }
}
