package dev.turnpike.metering.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.controlplane.outbox.OutboxRelay;
import dev.turnpike.metering.testing.BillingFixture;
import dev.turnpike.metering.testing.StandingPath;
import dev.turnpike.metering.webhook.impl.JooqPaymentLedger;
import dev.turnpike.settings.KafkaSecurity;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.testkit.stripe.WebhookSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A failed payment reaches the gateway's key topic, and the payment that follows reinstates the key
 * there: metering decides the app's standing and its relay publishes it, the control plane's
 * standing consumer applies it to the key, and the control plane's own outbox relay publishes the
 * key record.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class KeySuspensionReachesKafkaTest {
  static final String SECRET = "whsec_e2e";

  @Test
  void payment_failed_then_paid_reaches_the_key_topic_through_the_relay(
      TestDatabase db, KafkaBroker kafka) {
    BillingFixture fixture = new BillingFixture(db.ownerDsl());
    UUID tenant = fixture.tenant();
    UUID app = fixture.app(tenant, fixture.user("e2e-" + UUID.randomUUID() + "@example.com"));
    UUID plan = fixture.plan(tenant, "Metered", "per_request", 0, 1_000, 0);
    UUID subscription =
        fixture.subscription(
            tenant, app, plan, "active", Instant.parse("2026-11-01T00:00:00Z"), null);
    String keyHash = fixture.key(tenant, app, "enabled");
    StripeWebhooks webhooks =
        new StripeWebhooks(SECRET, new JooqPaymentLedger(db.meteringDsl(), Clock.systemUTC()));
    OutboxRelay relay =
        new OutboxRelay(
                DSL.using(db.systemDataSource(), SQLDialect.POSTGRES),
                new OutboxRelay.Config(
                    kafka.bootstrapServers(),
                    KafkaSecurity.plaintext(),
                    Duration.ofMillis(20),
                    100,
                    Duration.ofSeconds(5),
                    OutboxRelay.Config.configTopics(),
                    1,
                    (short) 1,
                    "billing-e2e-" + UUID.randomUUID(),
                    ConfigRecordLimit.defaults()),
                new SimpleMeterRegistry())
            .start();
    StandingPath standing = StandingPath.start(db, kafka);
    try (KafkaConsumer<String, byte[]> consumer = kafka.newConsumerFromBeginning()) {
      consumer.subscribe(List.of(Topics.KEYS));
      deliver(webhooks, "evt_fail", "invoice.payment_failed", tenant, subscription);
      assertThat(awaitKey(consumer, keyHash, KeyStatus.SUSPENDED).planIds()).isEmpty();

      deliver(webhooks, "evt_paid", "invoice.paid", tenant, subscription);
      KeyRecord enabled = awaitKey(consumer, keyHash, KeyStatus.ENABLED);
      assertThat(enabled.planIds()).containsExactly(plan.toString());
      assertThat(enabled.usableAt(Instant.now())).isTrue();
    } finally {
      standing.close();
      relay.close();
    }
  }

  static void deliver(
      StripeWebhooks webhooks, String id, String type, UUID tenant, UUID subscription) {
    String payload =
        new JsonObject()
            .put("id", id + "_" + UUID.randomUUID())
            .put("type", type)
            .put(
                "data",
                new JsonObject()
                    .put(
                        "object",
                        new JsonObject()
                            .put("id", "in_1")
                            .put("object", "invoice")
                            .put(
                                "parent",
                                new JsonObject()
                                    .put(
                                        "subscription_details",
                                        new JsonObject()
                                            .put(
                                                "metadata",
                                                new JsonObject()
                                                    .put("tenant_id", tenant.toString())
                                                    .put(
                                                        "subscription_id",
                                                        subscription.toString()))))))
            .encode();
    assertThat(webhooks.handle(payload, WebhookSigner.signatureHeader(payload, SECRET)))
        .isEqualTo(StripeWebhooks.Result.HANDLED);
  }

  static KeyRecord awaitKey(
      KafkaConsumer<String, byte[]> consumer, String keyHash, KeyStatus status) {
    AtomicReference<KeyRecord> latest = new AtomicReference<>();
    Await.until(
        Duration.ofSeconds(15),
        () -> {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            if (r.key().equals(keyHash) && r.value() != null) {
              latest.set(KeyRecord.CODEC.decode(r.value()));
            }
          }
          return latest.get() != null && latest.get().status() == status;
        },
        () -> "key record " + status + " on " + Topics.KEYS + ", last seen " + latest.get());
    return latest.get();
  }
}
