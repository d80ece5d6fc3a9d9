package dev.turnpike.metering.webhook;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.BILLING_STANDING_OUTBOX;
import static dev.turnpike.db.Tables.OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.metering.standing.StandingRelay;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.metering.webhook.impl.JooqPaymentLedger;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metering's side of an app's billing standing: a payment decides it into metering's own outbox in
 * the payment's transaction, touching neither the app's keys nor the control plane's outbox, and
 * the standing relay publishes each decision keyed by the app with a growing revision.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class BillingStandingTest {
  /** deliver() signs with the key-suspension test's secret. */
  static final String SECRET = KeySuspensionReachesKafkaTest.SECRET;

  final TestDatabase db;
  final DSLContext owner;
  final BillingFixture fixture;
  StripeWebhooks webhooks;
  UUID tenant;
  UUID app;
  UUID subscription;
  String keyHash;

  BillingStandingTest(TestDatabase db) {
    this.db = db;
    this.owner = db.ownerDsl();
    this.fixture = new BillingFixture(owner);
  }

  @BeforeEach
  void activeSubscription() {
    tenant = fixture.tenant();
    app = fixture.app(tenant, fixture.user("standing-" + UUID.randomUUID() + "@example.com"));
    UUID plan = fixture.plan(tenant, "Metered", "per_request", 0, 1_000, 0);
    subscription =
        fixture.subscription(
            tenant, app, plan, "active", Instant.parse("2026-11-01T00:00:00Z"), null);
    keyHash = fixture.key(tenant, app, "enabled");
    webhooks =
        new StripeWebhooks(SECRET, new JooqPaymentLedger(db.meteringDsl(), Clock.systemUTC()));
  }

  /** The decisions in metering's outbox for the app, in order. */
  List<BillingStanding> decisions() {
    return owner
        .select(BILLING_STANDING_OUTBOX.PAYLOAD)
        .from(BILLING_STANDING_OUTBOX)
        .where(BILLING_STANDING_OUTBOX.APP_ID.eq(app))
        .orderBy(BILLING_STANDING_OUTBOX.ID)
        .fetch(r -> BillingStanding.CODEC.decode(r.value1()));
  }

  @Test
  void a_payment_decides_the_standing_in_meterings_outbox_and_leaves_keys_to_the_control_plane() {
    KeySuspensionReachesKafkaTest.deliver(
        webhooks, "evt_fail", "invoice.payment_failed", tenant, subscription);

    assertThat(decisions())
        .extracting(BillingStanding::standing, BillingStanding::revision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BillingStanding.Standing.SUSPENDED, 1L));
    assertThat(decisions().getFirst().tenantId()).isEqualTo(tenant.toString());
    // Nothing of the control plane's: its outbox and the key's status stay as they were.
    assertThat(owner.fetchCount(OUTBOX, OUTBOX.TENANT_ID.eq(tenant))).isZero();
    assertThat(
            owner
                .select(API_KEYS.STATUS)
                .from(API_KEYS)
                .where(API_KEYS.KEY_HASH.eq(keyHash))
                .fetchOne(API_KEYS.STATUS))
        .isEqualTo("enabled");

    KeySuspensionReachesKafkaTest.deliver(
        webhooks, "evt_paid", "invoice.paid", tenant, subscription);

    assertThat(decisions())
        .extracting(BillingStanding::standing, BillingStanding::revision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BillingStanding.Standing.SUSPENDED, 1L),
            org.assertj.core.groups.Tuple.tuple(BillingStanding.Standing.GOOD, 2L));
    assertThat(owner.fetchCount(OUTBOX, OUTBOX.TENANT_ID.eq(tenant))).isZero();
  }

  @Test
  void the_relay_publishes_each_decision_keyed_by_the_app_and_stamps_it_sent(KafkaBroker kafka) {
    kafka.createTopic(Topics.BILLING_STANDING, 1, true);
    KeySuspensionReachesKafkaTest.deliver(
        webhooks, "evt_fail", "invoice.payment_failed", tenant, subscription);
    KeySuspensionReachesKafkaTest.deliver(
        webhooks, "evt_paid", "invoice.paid", tenant, subscription);
    String appKey = Topics.appKey(tenant.toString(), app.toString());
    List<BillingStanding> published = new ArrayList<>();
    try (StandingRelay relay =
            new StandingRelay(
                    db.meteringDsl(),
                    new StandingRelay.Config(
                        kafka.bootstrapServers(),
                        KafkaSecurity.plaintext(),
                        Duration.ofMillis(20),
                        100,
                        Duration.ofSeconds(5)))
                .start();
        KafkaConsumer<String, byte[]> consumer = kafka.newConsumerFromBeginning()) {
      consumer.subscribe(List.of(Topics.BILLING_STANDING));
      Await.until(
          Duration.ofSeconds(20),
          () -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
              if (r.key().equals(appKey)) {
                published.add(BillingStanding.CODEC.decode(r.value()));
              }
            }
            return published.size() >= 2;
          },
          () -> "two standings of " + appKey + " on " + Topics.BILLING_STANDING + ": " + published);
      assertThat(relay.alive()).isTrue();
    }

    assertThat(published).containsExactlyElementsOf(decisions());
    assertThat(
            owner.fetchCount(
                BILLING_STANDING_OUTBOX,
                BILLING_STANDING_OUTBOX.APP_ID.eq(app),
                BILLING_STANDING_OUTBOX.SENT_AT.isNull()))
        .isZero();
  }

  /**
   * The control plane's outbox is the control plane's: no metering class refers to its table
   * (jOOQ's generated {@code Outbox} table or record) and no SQL in metering's sources names it.
   */
  @Test
  void no_metering_code_names_the_control_planes_outbox() throws IOException, URISyntaxException {
    Path classes =
        Path.of(StandingRelay.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      files
          .filter(f -> f.toString().endsWith(".class"))
          .forEach(
              f -> {
                String bytes = new String(read(f), StandardCharsets.ISO_8859_1);
                if (bytes.contains("dev/turnpike/db/tables/Outbox")
                    || bytes.contains("dev/turnpike/db/tables/records/OutboxRecord")) {
                  offenders.add(classes.relativize(f).toString());
                }
              });
    }
    assertThat(offenders).as("metering classes that use the control plane's outbox").isEmpty();
    // Plain SQL too: the word outbox as a table of its own (billing_standing_outbox is metering's).
    Pattern table = Pattern.compile("(?i)(?<![a-z_])outbox(?![a-z_])");
    Path sources = classes.resolve("../../src/main/java").normalize();
    assertThat(sources).isDirectory();
    try (Stream<Path> files = Files.walk(sources)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                String code = new String(read(f), StandardCharsets.UTF_8);
                for (String literal : stringLiterals(code)) {
                  if (table.matcher(literal).find()) {
                    offenders.add(sources.relativize(f) + ": \"" + literal + "\"");
                  }
                }
              });
    }
    assertThat(offenders).as("metering SQL that names the control plane's outbox").isEmpty();
  }

  private static List<String> stringLiterals(String code) {
    List<String> literals = new ArrayList<>();
    var m = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"").matcher(code);
    while (m.find()) {
      literals.add(m.group(1));
    }
    return literals;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
