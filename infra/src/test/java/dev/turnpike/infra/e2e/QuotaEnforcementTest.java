package dev.turnpike.infra.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.metering.node.MeteringService;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A usage-plan quota enforced end to end: two real gateway nodes count locally and publish usage
 * events to Kafka, metering aggregates them and publishes the key's quota state, both nodes apply
 * it. Drives a few hundred requests per second at a quota of 100 per day and measures how many
 * calls got through beyond it (the overshoot) and how long metering took to declare the quota
 * exceeded.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class QuotaEnforcementTest {
  private static final int QUOTA = 100;
  private static final int RATE_PER_SECOND = 300;
  private static final Duration DRIVE = Duration.ofSeconds(4);

  // HTTP/1.1: the JDK client would otherwise multiplex every call over one h2c connection.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** One response as the client saw it. */
  private record Call(long atNanos, int node, int status, String body) {}

  @Test
  void calls_past_the_quota_get_429_limit_exceeded_from_every_node(
      TestDatabase db, KafkaBroker kafka, @TempDir Path dataA, @TempDir Path dataB)
      throws Exception {
    try (TestControlPlane controlPlane =
            TestControlPlane.start(db, kafka.bootstrapServers(), Map.of());
        MeteringService metering = InProcessServices.metering(db, kafka, "quota-e2e")) {
      ApiClient api = controlPlane.client();
      String token = controlPlane.token("owner-" + UUID.randomUUID());
      Subscription subscription = subscribe(new Fixture(api, token));

      try (GatewayNode a = InProcessServices.gateway(kafka, dataA);
          GatewayNode b = InProcessServices.gateway(kafka, dataB);
          QuotaStateWatch watch = new QuotaStateWatch(kafka, subscription)) {
        List<GatewayNode> nodes = List.of(a, b);
        String path = "/" + subscription.tenantSlug + "/pets/prod/pets";
        for (GatewayNode node : nodes) {
          Await.until(
              Duration.ofSeconds(60),
              () -> call(node, 0, path, subscription.key).status() == 200,
              "the gateway serves the key");
        }
        long admittedBeforeDrive = nodes.size();
        Await.until(Duration.ofSeconds(30), metering::ready, "metering consumes usage");

        List<Call> calls = drive(nodes, path, subscription.key);

        List<Call> admitted = calls.stream().filter(c -> c.status() == 200).toList();
        long totalAdmitted = admittedBeforeDrive + admitted.size();
        assertThat(totalAdmitted).isGreaterThanOrEqualTo(QUOTA);
        // The quota's own call: the one that brought the count to the limit.
        long quotaReachedAt = admitted.get((int) (QUOTA - admittedBeforeDrive - 1)).atNanos();
        Await.until(Duration.ofSeconds(10), () -> watch.exceededAt.get() != 0, "exceeded state");
        double detectionMillis = (watch.exceededAt.get() - quotaReachedAt) / 1e6;
        long lastAdmitted = admitted.get(admitted.size() - 1).atNanos();
        List<Call> rejected = calls.stream().filter(c -> c.status() == 429).toList();
        Map<Integer, Long> byStatus =
            calls.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        Call::status,
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
        System.out.printf(
            "quota e2e: %d requests at %d/s over %d nodes, quota %d/day: %d admitted (overshoot"
                + " %d), metering published exceeded %.0f ms after the %dth call was admitted,"
                + " the last admission %.0f ms after it; statuses %s; metering batches %d, mean"
                + " commit %.1f ms, event to quota state published %.0f ms mean, %.0f ms max%n",
            calls.size(),
            RATE_PER_SECOND,
            nodes.size(),
            QUOTA,
            totalAdmitted,
            totalAdmitted - QUOTA,
            detectionMillis,
            QUOTA,
            (lastAdmitted - quotaReachedAt) / 1e6,
            byStatus,
            metering.registry().timer("turnpike_metering_batch_commit").count(),
            metering
                .registry()
                .timer("turnpike_metering_batch_commit")
                .mean(java.util.concurrent.TimeUnit.MILLISECONDS),
            metering
                .registry()
                .timer("turnpike_metering_quota_lag")
                .mean(java.util.concurrent.TimeUnit.MILLISECONDS),
            metering
                .registry()
                .timer("turnpike_metering_quota_lag")
                .max(java.util.concurrent.TimeUnit.MILLISECONDS));

        // Each node counts locally between metering's updates, so at worst every node admits the
        // whole quota once (when the quota runs out faster than metering's round trip); never more.
        assertThat(totalAdmitted).isLessThanOrEqualTo((long) QUOTA * nodes.size());
        assertThat(calls).allMatch(c -> c.status() == 200 || c.status() == 429);
        assertThat(rejected).isNotEmpty();
        assertThat(rejected.get(0).body()).isEqualTo("{\"message\":\"Limit Exceeded\"}");
        for (GatewayNode node : nodes) {
          Call after = call(node, 0, path, subscription.key);
          assertThat(after.status()).isEqualTo(429);
          assertThat(after.body()).isEqualTo("{\"message\":\"Limit Exceeded\"}");
        }
        // Metering counted exactly what the gateways admitted, as GetUsage reports it.
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String usagePath =
            "/v1/tenants/"
                + subscription.tenant
                + "/usage-plans/"
                + subscription.plan
                + "/usage?startDate="
                + today
                + "&endDate="
                + today;
        long expected = totalAdmitted;
        Await.until(
            Duration.ofSeconds(20),
            () -> usedToday(api, token, usagePath, subscription.keyId) == expected,
            () ->
                "GetUsage reports "
                    + usedToday(api, token, usagePath, subscription.keyId)
                    + " used, the gateways admitted "
                    + expected);
      }
    }
  }

  private static long usedToday(ApiClient api, String token, String path, String keyId) {
    JsonArray days = api.get(token, path).json().getJsonObject("values").getJsonArray(keyId);
    return days == null ? -1 : days.getJsonArray(0).getLong(0);
  }

  private List<Call> drive(List<GatewayNode> nodes, String path, String key) throws Exception {
    long intervalNanos = 1_000_000_000L / RATE_PER_SECOND;
    int total = (int) (DRIVE.toSeconds() * RATE_PER_SECOND);
    List<Future<Call>> pending = new ArrayList<>(total);
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      long start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = start + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          // Pacing the request rate, not waiting for a condition.
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int index = i % nodes.size();
        pending.add(clients.submit(() -> call(nodes.get(index), index, path, key)));
      }
      List<Call> calls = new ArrayList<>(total);
      for (Future<Call> call : pending) {
        calls.add(call.get());
      }
      calls.sort((x, y) -> Long.compare(x.atNanos(), y.atNanos()));
      return calls;
    }
  }

  private Call call(GatewayNode node, int index, String path, String key) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                  .header("x-api-key", key)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Call(System.nanoTime(), index, response.statusCode(), response.body());
    } catch (Exception e) {
      return new Call(System.nanoTime(), index, -1, e.toString());
    }
  }

  private record Subscription(
      String tenant, String tenantSlug, String plan, String keyId, String key) {}

  private static Subscription subscribe(Fixture fixture) {
    MockPetsApi pets =
        MockPetsApi.publish(
            fixture,
            "quota",
            new JsonObject()
                .put("name", "Hundred a day")
                .put("quota", new JsonObject().put("limit", QUOTA).put("period", "DAY")));
    JsonObject key = fixture.key(pets.tenant(), pets.appId());
    pets.deploy(fixture);
    return new Subscription(
        pets.tenant(), pets.tenantSlug(), pets.planId(), key.getString("id"), key.getString("key"));
  }

  /** Follows the quota-state topic and notes when the key is first declared exceeded. */
  private static final class QuotaStateWatch implements AutoCloseable {
    final AtomicLong exceededAt = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    QuotaStateWatch(KafkaBroker kafka, Subscription subscription) {
      String key = Topics.quotaKey(subscription.keyId, subscription.plan);
      KafkaConsumer<String, byte[]> consumer = kafka.newConsumerFromBeginning();
      consumer.subscribe(List.of(Topics.QUOTA_STATE));
      thread =
          Thread.ofPlatform()
              .name("quota-state-watch")
              .start(
                  () -> {
                    try (consumer) {
                      while (running.get() && exceededAt.get() == 0) {
                        for (ConsumerRecord<String, byte[]> record :
                            consumer.poll(Duration.ofMillis(20))) {
                          if (key.equals(record.key())
                              && record.value() != null
                              && QuotaState.CODEC.decode(record.value()).exceeded()) {
                            exceededAt.compareAndSet(0, System.nanoTime());
                          }
                        }
                      }
                    }
                  });
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
