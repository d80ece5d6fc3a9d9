package dev.turnpike.metering.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import dev.turnpike.metering.MeteringFixture;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class MeteringServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final TestDatabase database;
  private final KafkaBroker kafka;
  private final MeteringFixture fixture;
  private final KafkaProducer<String, byte[]> producer;
  private MeteringService service;

  MeteringServiceTest(TestDatabase database, KafkaBroker kafka) {
    this.database = database;
    this.kafka = kafka;
    this.fixture = new MeteringFixture(database.ownerDataSource());
    this.producer = kafka.newProducer();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    producer.close();
  }

  private MeteringService start(Map<String, String> extra) {
    Map<String, String> env = MeteringEnv.of(database, kafka.bootstrapServers());
    // A group of this test class's own: the broker is shared with other test classes.
    env.put("TURNPIKE_METERING_GROUP", "metering-" + database.name());
    env.putAll(extra);
    service =
        MeteringService.start(MeteringSettings.fromEnvironment(env), List.of(), Clock.systemUTC());
    return service;
  }

  private void produce(UsageEvent event) {
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

  private long dayCalls(Subscriber subscriber) {
    return fixture.queryLong(
        "SELECT coalesce(sum(calls), 0) FROM usage_aggregates WHERE key_id = ? AND granularity ="
            + " 'day'",
        subscriber.keyId());
  }

  @Nested
  class Aggregation {
    @Test
    void counts_produced_events_and_resumes_after_a_restart_without_counting_twice() {
      Subscriber subscriber = fixture.subscriber(null, 0, "DAY", Instant.now());
      start(Map.of());
      for (int i = 0; i < 20; i++) {
        produce(subscriber.event(Instant.now(), 200, Outcome.SERVED, 100));
      }
      Await.until(WAIT, () -> dayCalls(subscriber) == 20, "20 calls counted");

      service.close();
      for (int i = 0; i < 5; i++) {
        produce(subscriber.event(Instant.now(), 200, Outcome.SERVED, 100));
      }
      start(Map.of());

      Await.until(WAIT, () -> dayCalls(subscriber) == 25, "25 calls counted");
      Await.holdsFor(Duration.ofMillis(500), () -> dayCalls(subscriber) == 25, "25 calls");
    }

    @Test
    void counts_a_producer_retry_of_the_same_event_id_once() {
      Subscriber subscriber = fixture.subscriber(null, 0, "DAY", Instant.now());
      start(Map.of());
      UsageEvent event = subscriber.event(Instant.now(), 200, Outcome.SERVED, 100);
      produce(event);
      produce(event);
      produce(subscriber.event(Instant.now(), 200, Outcome.SERVED, 100));

      Await.until(WAIT, () -> dayCalls(subscriber) == 2, "2 distinct calls counted");
      Await.holdsFor(Duration.ofMillis(500), () -> dayCalls(subscriber) == 2, "2 calls");
    }

    @Test
    void passes_over_records_that_are_not_usage_events() {
      Subscriber subscriber = fixture.subscriber(null, 0, "DAY", Instant.now());
      start(Map.of());
      producer.send(new ProducerRecord<>(Topics.USAGE, "x", "not json".getBytes()));
      produce(subscriber.event(Instant.now(), 200, Outcome.SERVED, 100));

      Await.until(WAIT, () -> dayCalls(subscriber) == 1, "the event after the bad one counted");
      assertThat(service.healthy()).isTrue();
    }
  }

  @Nested
  class Quota {
    @Test
    void publishes_the_keys_state_and_marks_it_exceeded_at_the_limit() {
      Subscriber subscriber =
          fixture.subscriber(3L, 0, "DAY", Instant.now().minusSeconds(86_400 * 40));
      start(Map.of());
      for (int i = 0; i < 3; i++) {
        produce(subscriber.event(Instant.now(), 200, Outcome.SERVED, 100));
      }
      // Rejected calls are metered but never count towards the quota.
      produce(subscriber.event(Instant.now(), 429, Outcome.THROTTLED, 100));

      String key = Topics.quotaKey(subscriber.keyId(), subscriber.planId());
      AtomicInteger seen = new AtomicInteger();
      Await.until(
          WAIT,
          () -> {
            QuotaState latest = latestState(key);
            seen.set(latest == null ? -1 : (int) latest.used());
            return latest != null && latest.exceeded() && latest.used() == 3;
          },
          () -> "quota state used=3 exceeded for " + key + ", last used " + seen.get());
      QuotaState state = latestState(key);
      assertThat(state.limit()).isEqualTo(3);
      assertThat(state.tenantId()).isEqualTo(subscriber.tenantId());
      assertThat(state.periodEnd()).isEqualTo(state.periodStart().plus(Duration.ofDays(1)));
    }

    @Test
    void under_a_per_subscription_plan_all_keys_of_the_app_count_as_one() {
      Subscriber first = fixture.subscriber(3L, 0, "DAY", Instant.now().minusSeconds(86_400 * 40));
      Subscriber second = fixture.anotherKey(first);
      fixture.countPerSubscription(first);
      start(Map.of());
      produce(first.event(Instant.now(), 200, Outcome.SERVED, 100));
      produce(second.event(Instant.now(), 200, Outcome.SERVED, 100));
      produce(first.event(Instant.now(), 200, Outcome.SERVED, 100));

      String subscription =
          Topics.quotaKey(
              LimitScope.SUBSCRIPTION.subject(first.keyId(), first.appId()), first.planId());
      Await.until(
          WAIT,
          () -> {
            QuotaState latest = latestState(subscription);
            return latest != null && latest.exceeded() && latest.used() == 3;
          },
          "one quota state for the subscription, used 3 and exceeded");
      assertThat(latestState(subscription).keyId()).isEqualTo("app:" + first.appId());
      assertThat(latestState(Topics.quotaKey(first.keyId(), first.planId())))
          .as("no per-key count under a per-subscription plan")
          .isNull();
    }

    private QuotaState latestState(String key) {
      QuotaState latest = null;
      for (ConsumerRecord<String, byte[]> record :
          kafka.readToEnd(Topics.QUOTA_STATE, Duration.ofSeconds(10))) {
        if (key.equals(record.key()) && record.value() != null) {
          latest = QuotaState.CODEC.decode(record.value());
        }
      }
      return latest;
    }
  }

  @Nested
  class Admin {
    @Test
    void reports_health_readiness_and_metrics_on_its_admin_port() throws Exception {
      start(Map.of());
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + service.adminPort();

      Await.until(WAIT, service::ready, "metering ready");
      assertThat(get(client, base + "/health").statusCode()).isEqualTo(200);
      assertThat(get(client, base + "/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(client, base + "/metrics");
      assertThat(metrics.body()).contains("turnpike_metering_events_counted");
      assertThat(metrics.body()).contains("turnpike_metering_lag_records");
    }

    private HttpResponse<String> get(HttpClient client, String url) throws Exception {
      return client.send(
          HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
