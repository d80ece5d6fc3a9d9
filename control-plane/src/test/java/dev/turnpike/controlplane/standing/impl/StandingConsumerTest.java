package dev.turnpike.controlplane.standing.impl;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
import static dev.turnpike.db.Tables.TENANTS;
import static dev.turnpike.db.Tables.USAGE_PLANS;
import static dev.turnpike.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.ControlPlane;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane applies billing's standing decisions as they arrive on Kafka: the app's keys
 * are held and released, and republished through the control plane's own outbox; a decision that is
 * not newer than the one applied (a repeat, a late record) and one that cannot be read change
 * nothing.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandingConsumerTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  final DSLContext owner;
  final TestDatabase db;
  final KafkaBroker kafka;
  StandingConsumer consumer;
  KafkaProducer<String, byte[]> producer;

  UUID tenant;
  UUID app;
  UUID plan;
  String enabledKey;
  String disabledKey;
  String revokedKey;

  StandingConsumerTest(TestDatabase db, KafkaBroker kafka) {
    this.db = db;
    this.kafka = kafka;
    this.owner = db.ownerDsl();
  }

  @BeforeAll
  void start() {
    kafka.createTopic(Topics.BILLING_STANDING, 1, true);
    producer = kafka.newProducer();
    consumer =
        new StandingConsumer(
                db.appDsl(),
                ControlPlane.stores(),
                Clock.systemUTC(),
                new StandingConsumer.Config(
                    kafka.bootstrapServers(),
                    KafkaSecurity.plaintext(),
                    "standing-consumer-test-" + UUID.randomUUID(),
                    Duration.ofMillis(50),
                    Duration.ofMillis(50),
                    Duration.ofSeconds(5)))
            .start();
  }

  @AfterAll
  void stop() {
    consumer.close();
    producer.close();
  }

  @BeforeEach
  void appWithKeys() {
    tenant = UUID.randomUUID();
    owner
        .insertInto(TENANTS)
        .set(TENANTS.ID, tenant)
        .set(TENANTS.SLUG, "s" + tenant.toString().substring(0, 8))
        .set(TENANTS.NAME, "Standing " + tenant)
        .execute();
    UUID user = UUID.randomUUID();
    owner
        .insertInto(USERS)
        .set(USERS.ID, user)
        .set(USERS.KEYCLOAK_SUBJECT, "kc-" + user)
        .set(USERS.EMAIL, "dev-" + user + "@example.com")
        .execute();
    app = UUID.randomUUID();
    owner
        .insertInto(APPS)
        .set(APPS.ID, app)
        .set(APPS.TENANT_ID, tenant)
        .set(APPS.OWNER_USER_ID, user)
        .set(APPS.NAME, "standing-app")
        .execute();
    plan = UUID.randomUUID();
    owner
        .insertInto(USAGE_PLANS)
        .set(USAGE_PLANS.ID, plan)
        .set(USAGE_PLANS.TENANT_ID, tenant)
        .set(USAGE_PLANS.NAME, "Free")
        .set(USAGE_PLANS.PRICING_MODEL, "free")
        .execute();
    owner
        .insertInto(SUBSCRIPTIONS)
        .set(SUBSCRIPTIONS.ID, UUID.randomUUID())
        .set(SUBSCRIPTIONS.TENANT_ID, tenant)
        .set(SUBSCRIPTIONS.APP_ID, app)
        .set(SUBSCRIPTIONS.PLAN_ID, plan)
        .set(SUBSCRIPTIONS.STATUS, "active")
        .execute();
    enabledKey = key("enabled");
    disabledKey = key("disabled");
    revokedKey = key("revoked");
  }

  String key(String status) {
    String secret = "tpk_" + UUID.randomUUID();
    String hash = ApiKeyHash.sha256Hex(secret);
    owner
        .insertInto(API_KEYS)
        .set(API_KEYS.ID, UUID.randomUUID())
        .set(API_KEYS.TENANT_ID, tenant)
        .set(API_KEYS.APP_ID, app)
        .set(API_KEYS.KEY_HASH, hash)
        .set(API_KEYS.PREFIX, secret.substring(0, 8))
        .set(API_KEYS.STATUS, status)
        .execute();
    return hash;
  }

  void publish(BillingStanding.Standing standing, long revision) {
    publishRaw(
        BillingStanding.CODEC.encode(
            new BillingStanding(
                BillingStanding.SCHEMA_VERSION,
                tenant.toString(),
                app.toString(),
                standing,
                revision,
                Instant.now())));
  }

  void publishRaw(byte[] value) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.BILLING_STANDING, Topics.appKey(tenant.toString(), app.toString()), value))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  long applied() {
    Long revision =
        owner
            .select(APP_BILLING_STANDINGS.REVISION)
            .from(APP_BILLING_STANDINGS)
            .where(APP_BILLING_STANDINGS.APP_ID.eq(app))
            .fetchOne(APP_BILLING_STANDINGS.REVISION);
    return revision == null ? 0 : revision;
  }

  void awaitApplied(long revision) {
    Await.until(
        WAIT,
        () -> applied() == revision,
        () -> "revision " + revision + " applied, now " + applied());
  }

  String status(String hash) {
    return owner
        .select(API_KEYS.STATUS)
        .from(API_KEYS)
        .where(API_KEYS.KEY_HASH.eq(hash))
        .fetchOne(API_KEYS.STATUS);
  }

  /** The key records the control plane wrote for the key, in order. */
  List<KeyRecord> records(String hash) {
    return owner
        .select(OUTBOX.PAYLOAD)
        .from(OUTBOX)
        .where(
            OUTBOX.TENANT_ID.eq(tenant), OUTBOX.TOPIC.eq(Topics.KEYS), OUTBOX.MESSAGE_KEY.eq(hash))
        .orderBy(OUTBOX.ID)
        .fetch(r -> KeyRecord.CODEC.decode(r.value1()));
  }

  int outboxRows() {
    return owner.fetchCount(OUTBOX, OUTBOX.TENANT_ID.eq(tenant));
  }

  @Test
  void suspension_holds_the_enabled_keys_and_good_standing_releases_them() {
    publish(BillingStanding.Standing.SUSPENDED, 1);
    awaitApplied(1);

    assertThat(status(enabledKey)).isEqualTo("suspended");
    assertThat(status(disabledKey)).isEqualTo("disabled");
    assertThat(status(revokedKey)).isEqualTo("revoked");
    assertThat(records(enabledKey).getLast().status()).isEqualTo(KeyStatus.SUSPENDED);
    assertThat(records(enabledKey).getLast().planIds()).containsExactly(plan.toString());
    assertThat(records(disabledKey).getLast().status()).isEqualTo(KeyStatus.DISABLED);
    // A revoked key's last record stays as published at revocation.
    assertThat(records(revokedKey)).isEmpty();

    publish(BillingStanding.Standing.GOOD, 2);
    awaitApplied(2);

    assertThat(status(enabledKey)).isEqualTo("enabled");
    assertThat(status(disabledKey)).isEqualTo("disabled");
    assertThat(records(enabledKey).getLast().status()).isEqualTo(KeyStatus.ENABLED);
    assertThat(records(enabledKey).getLast().usableAt(Instant.now())).isTrue();
  }

  @Test
  void a_repeated_or_older_revision_changes_nothing() {
    publish(BillingStanding.Standing.SUSPENDED, 1);
    publish(BillingStanding.Standing.GOOD, 2);
    awaitApplied(2);
    int rows = outboxRows();

    publish(BillingStanding.Standing.SUSPENDED, 1);
    publish(BillingStanding.Standing.GOOD, 2);
    // A later decision, to know the two before it were read.
    publish(BillingStanding.Standing.GOOD, 3);
    awaitApplied(3);

    assertThat(status(enabledKey)).isEqualTo("enabled");
    // Only revision 3 republished the keys (the enabled and the disabled one).
    assertThat(outboxRows()).isEqualTo(rows + 2);
    assertThat(records(enabledKey).getLast().status()).isEqualTo(KeyStatus.ENABLED);
  }

  @Test
  void a_record_that_cannot_be_read_is_skipped_and_the_next_applied() {
    publishRaw("not json".getBytes(StandardCharsets.UTF_8));
    publishRaw(
        ("{\"schemaVersion\":99,\"tenantId\":\""
                + tenant
                + "\",\"appId\":\""
                + app
                + "\",\"standing\":\"SUSPENDED\",\"revision\":1}")
            .getBytes(StandardCharsets.UTF_8));
    publish(BillingStanding.Standing.SUSPENDED, 1);
    awaitApplied(1);

    assertThat(status(enabledKey)).isEqualTo("suspended");
  }

  @Test
  void an_unknown_standing_is_not_applied() {
    publishRaw(
        ("{\"schemaVersion\":1,\"tenantId\":\""
                + tenant
                + "\",\"appId\":\""
                + app
                + "\",\"standing\":\"ON_HOLD\",\"revision\":1,"
                + "\"decidedAt\":\"2026-12-01T00:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8));
    publish(BillingStanding.Standing.GOOD, 2);
    awaitApplied(2);

    assertThat(status(enabledKey)).isEqualTo("enabled");
    assertThat(records(enabledKey)).hasSize(1);
  }
}
