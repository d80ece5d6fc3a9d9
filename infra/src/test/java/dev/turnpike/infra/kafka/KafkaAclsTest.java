package dev.turnpike.infra.kafka;

import static dev.turnpike.db.Tables.BILLING_STANDING_OUTBOX;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.controlplane.ControlPlaneSettings;
import dev.turnpike.controlplane.outbox.OutboxRelay;
import dev.turnpike.controlplane.standing.impl.StandingConsumer;
import dev.turnpike.gateway.config.ConfigFeed;
import dev.turnpike.gateway.config.ConfigFeedConfig;
import dev.turnpike.gateway.config.ConfigTopics;
import dev.turnpike.gateway.node.NodeSettings;
import dev.turnpike.gateway.usage.KafkaUsagePublisher;
import dev.turnpike.gateway.usage.UsagePublisherConfig;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.aggregation.UsageConsumer;
import dev.turnpike.metering.aggregation.impl.JdbcAggregationStore;
import dev.turnpike.metering.node.MeteringSettings;
import dev.turnpike.metering.quota.impl.KafkaQuotaStatePublisher;
import dev.turnpike.metering.standing.StandingRelay;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.SecuredKafkaBroker;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka as a trust boundary: a broker that authenticates every client (SASL/SCRAM) and allows
 * nothing an ACL does not, given exactly the ACLs {@code infra/kafka/acls.sh} prints. Each service
 * logs in as its own user with its real settings and client code: the config and usage paths work,
 * and a login cannot do what its service has no ACL for.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclsTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String GATEWAY = "turnpike-gateway";
  static final String CONTROL_PLANE = "turnpike-control-plane";
  static final String METERING = "turnpike-metering";

  private final Map<String, String> passwords = new HashMap<>();
  private SecuredKafkaBroker kafka;
  private TestDatabase db;

  @BeforeAll
  void startKafkaWithTheServicesAcls(TestDatabase db) {
    this.db = db;
    kafka = SecuredKafkaBroker.start();
    for (String user : List.of(GATEWAY, CONTROL_PLANE, METERING)) {
      passwords.put(user, "kafka-" + UUID.randomUUID());
      kafka.addUser(user, passwords.get(user));
    }
    kafka.createAcls(AclScript.bindings(Map.of()));
  }

  @AfterAll
  void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Nested
  class ConfigPath {
    @Test
    void the_relay_publishes_config_and_the_gateway_feed_reads_it(@TempDir Path dir) {
      createMeteringTopicsAsMetering();
      KeyRecord key = enabledKey();
      appendToOutbox(Topics.KEYS, key.keyHash(), KeyRecord.CODEC.encode(key), key.tenantId());
      ControlPlaneSettings cp = ControlPlaneSettings.fromEnvironment(controlPlaneEnvironment());
      // As Relays starts it: the relay creates the config topics with its own login.
      OutboxRelay relay =
          new OutboxRelay(
                  db.systemDsl(),
                  new OutboxRelay.Config(
                      cp.kafkaBootstrapServers(),
                      cp.kafkaSecurity(),
                      cp.outboxPollInterval(),
                      cp.outboxBatchSize(),
                      cp.outboxDeliveryTimeout(),
                      OutboxRelay.Config.configTopics(),
                      1,
                      (short) 1,
                      OutboxRelay.Config.TRANSACTIONAL_ID,
                      cp.configRecordLimit()),
                  new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
              .start();
      try (relay;
          ConfigFeed feed = startGatewayFeed(dir)) {
        Await.until(
            WAIT,
            () -> key.equals(feed.state().keysByHash().get(key.keyHash())),
            "the gateway's feed to read the key the relay published");

        QuotaState quota = exceededQuota(key);
        MeteringSettings metering = MeteringSettings.fromEnvironment(meteringEnvironment());
        try (KafkaQuotaStatePublisher publisher =
            new KafkaQuotaStatePublisher(
                metering.kafkaBootstrapServers(),
                metering.kafkaSecurity(),
                metering.kafkaTimeout())) {
          publisher.publish(List.of(quota));
        }
        Await.until(
            WAIT,
            () -> feed.state().quotaStates().containsKey(Topics.quotaKey(key.keyId(), "plan-1")),
            "the gateway's feed to read the quota state metering published");
      }
    }
  }

  @Nested
  class StandingPath {
    @Test
    void a_standing_metering_publishes_is_applied_by_the_control_plane_and_reaches_the_gateway(
        @TempDir Path dir) {
      createMeteringTopicsAsMetering();
      BillingFixture fixture = new BillingFixture(db.ownerDsl());
      UUID tenant = fixture.tenant();
      UUID app = fixture.app(tenant, fixture.user("acl-" + UUID.randomUUID() + "@example.com"));
      String keyHash = fixture.key(tenant, app, "enabled");
      // Billing's decision as metering records it in its own outbox.
      db.ownerDsl()
          .insertInto(BILLING_STANDING_OUTBOX)
          .set(BILLING_STANDING_OUTBOX.TENANT_ID, tenant)
          .set(BILLING_STANDING_OUTBOX.APP_ID, app)
          .set(BILLING_STANDING_OUTBOX.REVISION, 1L)
          .set(
              BILLING_STANDING_OUTBOX.PAYLOAD,
              BillingStanding.CODEC.encode(
                  new BillingStanding(
                      BillingStanding.SCHEMA_VERSION,
                      tenant.toString(),
                      app.toString(),
                      BillingStanding.Standing.SUSPENDED,
                      1,
                      Instant.now())))
          .execute();
      MeteringSettings metering = MeteringSettings.fromEnvironment(meteringEnvironment());
      ControlPlaneSettings cp = ControlPlaneSettings.fromEnvironment(controlPlaneEnvironment());
      StandingRelay standings =
          new StandingRelay(
                  db.meteringDsl(),
                  new StandingRelay.Config(
                      metering.kafkaBootstrapServers(),
                      metering.kafkaSecurity(),
                      Duration.ofMillis(20),
                      100,
                      metering.kafkaTimeout()))
              .start();
      // As Relays starts them: the standing consumer in its group, the relay for the keys.
      StandingConsumer consumer =
          new StandingConsumer(
                  db.appDsl(),
                  ControlPlane.stores(),
                  java.time.Clock.systemUTC(),
                  new StandingConsumer.Config(
                      cp.kafkaBootstrapServers(),
                      cp.kafkaSecurity(),
                      StandingConsumer.GROUP,
                      Duration.ofMillis(50),
                      Duration.ofMillis(50),
                      Duration.ofSeconds(5)))
              .start();
      OutboxRelay relay =
          new OutboxRelay(
                  db.systemDsl(),
                  new OutboxRelay.Config(
                      cp.kafkaBootstrapServers(),
                      cp.kafkaSecurity(),
                      cp.outboxPollInterval(),
                      cp.outboxBatchSize(),
                      cp.outboxDeliveryTimeout(),
                      OutboxRelay.Config.configTopics(),
                      1,
                      (short) 1,
                      OutboxRelay.Config.TRANSACTIONAL_ID,
                      cp.configRecordLimit()),
                  new SimpleMeterRegistry())
              .start();
      try (standings;
          consumer;
          relay;
          ConfigFeed feed = startGatewayFeed(dir)) {
        Await.until(
            WAIT,
            () -> {
              KeyRecord key = feed.state().keysByHash().get(keyHash);
              return key != null && key.status() == KeyStatus.SUSPENDED;
            },
            "the gateway's feed to read the key the control plane suspended for billing");
      }
    }
  }

  @Nested
  class UsagePath {
    @Test
    void usage_the_gateway_publishes_is_counted_by_metering(@TempDir Path dir) {
      createMeteringTopicsAsMetering();
      MeteringFixture fixture = new MeteringFixture(db.ownerDataSource());
      MeteringFixture.Subscriber subscriber = fixture.subscriber(null, 0, "DAY", Instant.now());
      NodeSettings gateway = NodeSettings.fromEnvironment(gatewayEnvironment(dir));
      MeteringSettings metering = MeteringSettings.fromEnvironment(meteringEnvironment());
      try (KafkaUsagePublisher publisher =
              KafkaUsagePublisher.start(
                  new UsagePublisherConfig(
                      gateway.kafkaBootstrapServers(),
                      gateway.spoolDir(),
                      gateway.spoolMaxBytes(),
                      1024,
                      Duration.ofSeconds(5),
                      gateway.nodeId(),
                      gateway.kafkaSecurity().clientProperties()),
                  new SimpleMeterRegistry());
          UsageConsumer consumer =
              new UsageConsumer(
                  metering.consumer(Topics.USAGE),
                  new JdbcAggregationStore(db.meteringDataSource()),
                  result -> {},
                  new SimpleMeterRegistry())) {
        Thread.ofPlatform().name("acl-test-metering").start(consumer);
        for (int i = 0; i < 25; i++) {
          publisher.emit(subscriber.event(Instant.now(), 200, Outcome.SERVED, 10));
        }
        Await.until(
            WAIT,
            () ->
                fixture.queryLong(
                        "SELECT coalesce(sum(calls), 0) FROM usage_aggregates"
                            + " WHERE key_id = ? AND granularity = 'day'",
                        subscriber.keyId())
                    == 25,
            "metering to count the 25 calls the gateway published");
      }
    }
  }

  @Nested
  class Boundaries {
    @Test
    void the_gateways_login_cannot_write_a_config_record() {
      createConfigTopicsAsControlPlane();
      Throwable refused = sendAs(GATEWAY, Topics.KEYS);

      assertThat(rootCause(refused)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void meterings_login_cannot_write_a_config_record_either() {
      createConfigTopicsAsControlPlane();
      Throwable refused = sendAs(METERING, Topics.DEPLOYMENTS);

      assertThat(rootCause(refused)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void the_gateways_login_cannot_read_usage_events() {
      createMeteringTopicsAsMetering();
      try (KafkaConsumer<String, byte[]> consumer = consumerAs(GATEWAY, null)) {
        consumer.assign(List.of(new TopicPartition(Topics.USAGE, 0)));

        Throwable refused = catchThrowable(() -> consumer.poll(Duration.ofSeconds(10)));

        assertThat(refused).isInstanceOf(TopicAuthorizationException.class);
      }
    }

    @Test
    void the_gateways_login_cannot_join_meterings_group_nor_read_its_offsets() {
      createMeteringTopicsAsMetering();
      try (KafkaConsumer<String, byte[]> consumer =
          consumerAs(GATEWAY, MeteringSettings.USAGE_GROUP_DEFAULT)) {
        consumer.subscribe(List.of(Topics.USAGE));

        Throwable refused = catchThrowable(() -> consumer.poll(Duration.ofSeconds(10)));

        assertThat(refused).isInstanceOf(GroupAuthorizationException.class);
      }
      try (Admin admin = Admin.create(kafka.adminProperties(security(GATEWAY)))) {
        Throwable refused =
            catchThrowable(
                () ->
                    admin
                        .listConsumerGroupOffsets(MeteringSettings.USAGE_GROUP_DEFAULT)
                        .partitionsToOffsetAndMetadata()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertThat(rootCause(refused)).isInstanceOf(GroupAuthorizationException.class);
      }
    }

    @Test
    void the_control_planes_login_may_relay_under_its_own_transactional_id_only() {
      createConfigTopicsAsControlPlane();
      Map<String, Object> props = producerProperties(CONTROL_PLANE);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "someone-elses-relay");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
        Throwable refused = catchThrowable(producer::initTransactions);

        assertThat(refused).isInstanceOf(TransactionalIdAuthorizationException.class);
      }
    }

    @Test
    void only_metering_writes_billing_standings_and_only_the_control_plane_reads_them() {
      createMeteringTopicsAsMetering();
      assertThat(rootCause(sendAs(GATEWAY, Topics.BILLING_STANDING)))
          .isInstanceOf(TopicAuthorizationException.class);
      assertThat(rootCause(sendAs(CONTROL_PLANE, Topics.BILLING_STANDING)))
          .isInstanceOf(TopicAuthorizationException.class);
      for (String user : List.of(GATEWAY, METERING)) {
        try (KafkaConsumer<String, byte[]> consumer = consumerAs(user, null)) {
          consumer.assign(List.of(new TopicPartition(Topics.BILLING_STANDING, 0)));

          Throwable refused = catchThrowable(() -> consumer.poll(Duration.ofSeconds(10)));

          assertThat(refused).as(user).isInstanceOf(TopicAuthorizationException.class);
        }
      }
    }

    @Test
    void a_login_with_a_wrong_password_is_refused() {
      KafkaSecurity wrong = SecuredKafkaBroker.security(GATEWAY, "not-" + passwords.get(GATEWAY));
      try (Admin admin = Admin.create(kafka.adminProperties(wrong))) {
        Throwable refused =
            catchThrowable(
                () -> admin.describeCluster().clusterId().get(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertThat(rootCause(refused)).isInstanceOf(SaslAuthenticationException.class);
      }
    }
  }

  /** A forged record sent with {@code user}'s login; returns what stopped it. */
  private Throwable sendAs(String user, String topic) {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(user))) {
      return catchThrowable(
          () ->
              producer
                  .send(
                      new ProducerRecord<>(topic, "forged", "{}".getBytes(StandardCharsets.UTF_8)))
                  .get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
  }

  private Map<String, Object> producerProperties(String user) {
    Map<String, Object> props = new HashMap<>(security(user).clientProperties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }

  private KafkaConsumer<String, byte[]> consumerAs(String user, String group) {
    Map<String, Object> props = new HashMap<>(security(user).clientProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    if (group != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaSecurity security(String user) {
    return SecuredKafkaBroker.security(user, passwords.get(user));
  }

  private Map<String, String> kafkaEnvironment(String user) {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("TURNPIKE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("TURNPIKE_KAFKA_SASL_MECHANISM", SecuredKafkaBroker.MECHANISM.kafkaName());
    env.put("TURNPIKE_KAFKA_SASL_USERNAME", user);
    env.put("TURNPIKE_KAFKA_SASL_PASSWORD", passwords.get(user));
    return env;
  }

  private Map<String, String> gatewayEnvironment(Path dataDir) {
    Map<String, String> env = kafkaEnvironment(GATEWAY);
    env.put("TURNPIKE_GATEWAY_DATA_DIR", dataDir.toString());
    return env;
  }

  /** The relay's settings; the database and identity values are stand-ins it does not use. */
  private Map<String, String> controlPlaneEnvironment() {
    Map<String, String> env = kafkaEnvironment(CONTROL_PLANE);
    env.put("TURNPIKE_DB_URL", db.jdbcUrl());
    for (String login : List.of("OWNER_", "", "SYSTEM_")) {
      env.put("TURNPIKE_DB_" + login + "USER", "unused");
      env.put("TURNPIKE_DB_" + login + "PASSWORD", "unused-" + UUID.randomUUID());
    }
    env.put("TURNPIKE_CP_OIDC_ISSUER", "https://id.example.com/realms/turnpike");
    env.put("TURNPIKE_CP_OIDC_AUDIENCE", "turnpike-api");
    env.put("TURNPIKE_CP_OUTBOX_POLL_MS", "20");
    return env;
  }

  private Map<String, String> meteringEnvironment() {
    Map<String, String> env = kafkaEnvironment(METERING);
    env.put("TURNPIKE_DB_URL", db.jdbcUrl());
    env.put("TURNPIKE_DB_METERING_USER", "unused");
    env.put("TURNPIKE_DB_METERING_PASSWORD", "unused-" + UUID.randomUUID());
    env.put("TURNPIKE_METERING_POLL_MS", "50");
    return env;
  }

  private ConfigFeed startGatewayFeed(Path dir) {
    NodeSettings gateway = NodeSettings.fromEnvironment(gatewayEnvironment(dir));
    return ConfigFeed.start(
        new ConfigFeedConfig(
            gateway.kafkaBootstrapServers(),
            ConfigTopics.DEFAULT,
            gateway.snapshotFile(),
            Duration.ofSeconds(30),
            gateway.coldStartGrace(),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            gateway.kafkaSecurity().clientProperties()),
        state -> {},
        new SimpleMeterRegistry());
  }

  /** As metering's TopicBootstrap does at start, with metering's own login. */
  private void createMeteringTopicsAsMetering() {
    createTopicsAs(
        METERING,
        List.of(
            new NewTopic(Topics.USAGE, 1, (short) 1),
            new NewTopic(Topics.QUOTA_STATE, 1, (short) 1)
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            new NewTopic(Topics.BILLING_STANDING, 1, (short) 1)
                .configs(
                    Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
  }

  private void createConfigTopicsAsControlPlane() {
    createTopicsAs(
        CONTROL_PLANE,
        OutboxRelay.Config.configTopics().stream()
            .map(
                name ->
                    new NewTopic(name, 1, (short) 1)
                        .configs(
                            Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT)))
            .toList());
  }

  private void createTopicsAs(String user, List<NewTopic> topics) {
    try (Admin admin = Admin.create(kafka.adminProperties(security(user)))) {
      for (var result : admin.createTopics(topics).values().values()) {
        Throwable failure = catchThrowable(() -> result.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        if (failure != null
            && !(rootCause(failure)
                instanceof org.apache.kafka.common.errors.TopicExistsException)) {
          throw new AssertionError(user + " could not create its topics", failure);
        }
      }
    }
  }

  private void appendToOutbox(String topic, String key, byte[] payload, String tenant) {
    UUID tenantId = UUID.fromString(tenant);
    db.ownerDsl()
        .insertInto(TENANTS, TENANTS.ID, TENANTS.SLUG, TENANTS.NAME)
        .values(tenantId, "acl-" + tenant.substring(0, 8), "ACL test")
        .onConflictDoNothing()
        .execute();
    db.ownerDsl()
        .insertInto(OUTBOX, OUTBOX.TENANT_ID, OUTBOX.TOPIC, OUTBOX.MESSAGE_KEY, OUTBOX.PAYLOAD)
        .values(tenantId, topic, key, payload)
        .execute();
  }

  private static KeyRecord enabledKey() {
    String id = UUID.randomUUID().toString();
    return new KeyRecord(
        KeyRecord.SCHEMA_VERSION,
        "hash-" + id,
        id,
        "tpk_acl",
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        List.of("plan-1"),
        KeyStatus.ENABLED,
        null);
  }

  private static QuotaState exceededQuota(KeyRecord key) {
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
    return new QuotaState(
        QuotaState.SCHEMA_VERSION,
        key.tenantId(),
        key.keyId(),
        "plan-1",
        QuotaPeriod.DAY,
        day,
        day.plus(1, ChronoUnit.DAYS),
        10,
        10,
        true,
        Instant.now());
  }

  private static Throwable rootCause(Throwable thrown) {
    assertThat(thrown).as("the broker refused").isNotNull();
    Throwable cause = thrown;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
