package dev.turnpike.metering.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import dev.turnpike.metering.billing.BillingSettings;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.MutableClock;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Billing inside the metering process: usage events from Kafka are aggregated by metering, and
 * billing's scheduled period close rates them into an invoice once the month is over.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class MeteringBillingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void usage_from_kafka_is_invoiced_when_the_month_closes(TestDatabase database, KafkaBroker kafka)
      throws Exception {
    MeteringFixture fixture = new MeteringFixture(database.ownerDataSource());
    Subscriber s = fixture.subscriber(null, 0, "DAY", Instant.parse("2026-09-01T00:00:00Z"));
    // One cent a request, 2 included.
    fixture.execute(
        "UPDATE usage_plans SET pricing_model = 'per_request', unit_price_micros = 10000,"
            + " included_requests = 2 WHERE id = ?::uuid",
        s.planId());
    UUID subscription = UUID.randomUUID();
    fixture.execute(
        "INSERT INTO subscriptions (id, tenant_id, app_id, plan_id, status, started_at)"
            + " VALUES (?::uuid, ?::uuid, ?::uuid, ?::uuid, 'active', '2026-09-01T00:00:00Z')",
        subscription,
        s.tenantId(),
        s.appId(),
        s.planId());
    MutableClock clock = new MutableClock(Instant.parse("2026-10-20T00:00:00Z"));
    Map<String, String> env = MeteringEnv.of(database, kafka.bootstrapServers());
    env.put("TURNPIKE_METERING_GROUP", "metering-" + database.name());
    BillingComponent billing =
        new BillingComponent(
            BillingSettings.fromEnvironment(
                Map.of(
                    "TURNPIKE_BILLING_HOST", "127.0.0.1",
                    "TURNPIKE_BILLING_PORT", "0",
                    "TURNPIKE_BILLING_PERIOD_CLOSE_INTERVAL", "1")));
    try (MeteringService service =
            MeteringService.start(MeteringSettings.fromEnvironment(env), List.of(billing), clock);
        KafkaProducer<String, byte[]> producer = kafka.newProducer()) {
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + billing.port() + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      Instant at = Instant.parse("2026-10-15T10:20:00Z");
      for (int i = 0; i < 5; i++) {
        send(producer, s.event(at, 200, Outcome.SERVED, 100));
      }
      send(producer, s.event(at, 502, Outcome.INTEGRATION_FAILURE, 100));
      send(producer, s.event(at, 429, Outcome.THROTTLED, 100));
      Await.until(
          WAIT,
          () ->
              fixture.queryLong(
                      "SELECT coalesce(sum(calls), 0) FROM usage_aggregates WHERE app_id = ? AND"
                          + " granularity = 'day'",
                      s.appId())
                  == 7,
          "seven calls aggregated");
      assertThat(invoiceTotal(fixture, subscription)).isEqualTo(-1);

      clock.set(Instant.parse("2026-11-01T03:00:00Z"));

      Await.until(WAIT, () -> invoiceTotal(fixture, subscription) >= 0, "October invoiced");
      // Five served requests, two included: three cents. The 502 and the 429 are not billed.
      assertThat(invoiceTotal(fixture, subscription)).isEqualTo(3);
      assertThat(service.ready()).isTrue();
    }
  }

  /** October's invoice total, -1 while there is none. */
  private static long invoiceTotal(MeteringFixture fixture, UUID subscription) {
    return fixture.queryLong(
        "SELECT coalesce(max(total_cents), -1) FROM invoices WHERE subscription_id = ?::uuid AND"
            + " period_start = '2026-10-01T00:00:00Z'",
        subscription);
  }

  private static void send(KafkaProducer<String, byte[]> producer, UsageEvent event) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.USAGE, event.keyId(), new UsageEventEncoder().encode(event)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
