package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import dev.turnpike.testkit.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A node's side of metering: every request becomes a usage event in Kafka, the quota state metering
 * publishes back is obeyed, and the admin metrics count the requests.
 */
class GatewayNodeMeteringTest extends AbstractGatewayNodeTest {
  @BeforeAll
  void serving() {
    awaitServing("/acme/pets/prod/pets");
  }

  @Test
  @Order(1)
  void every_request_becomes_one_usage_event_in_kafka() throws Exception {
    Set<String> requestIds = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      requestIds.add(
          get(node, "/acme/pets/prod/pets").headers().firstValue("x-amzn-RequestId").orElseThrow());
    }
    var records = kafka.readAll(Topics.USAGE, Integer.MAX_VALUE, Duration.ofSeconds(5));
    Set<String> eventIds = new HashSet<>();
    records.forEach(r -> eventIds.add(UsageEventDecoder.decode(r.value()).eventId().toString()));
    assertThat(eventIds).containsAll(requestIds);
  }

  @Test
  @Order(2)
  void obeys_the_quota_state_metering_publishes() throws Exception {
    var quota =
        new dev.turnpike.contracts.config.QuotaLimit(
            1_000, 0, dev.turnpike.contracts.config.QuotaPeriod.DAY);
    publish(
        Topics.PLANS,
        Topics.planKey(TENANT, "gold"),
        PlanRecord.CODEC.encode(
            new PlanRecord(
                1,
                TENANT,
                "gold",
                "Gold",
                null,
                quota,
                List.of(new PlanStage(API, "prod", null, Map.of())))));
    Instant dayStart = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    String quotaKey = Topics.quotaKey("key-1", "gold");
    publish(Topics.QUOTA_STATE, quotaKey, quotaState(dayStart, 1_000, true));
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, "/acme/pets/prod/pets", 429),
        "statusIs(node, '/acme/pets/prod/pets', 429)");
    assertThat(get(node, "/acme/pets/prod/pets").body())
        .isEqualTo("{\"message\":\"Limit Exceeded\"}");

    publish(Topics.QUOTA_STATE, quotaKey, quotaState(dayStart, 10, false));
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, "/acme/pets/prod/pets", 200),
        "statusIs(node, '/acme/pets/prod/pets', 200)");
  }

  static byte[] quotaState(Instant dayStart, long used, boolean exceeded) {
    return dev.turnpike.contracts.quota.QuotaState.CODEC.encode(
        new dev.turnpike.contracts.quota.QuotaState(
            1,
            TENANT,
            "key-1",
            "gold",
            dev.turnpike.contracts.config.QuotaPeriod.DAY,
            dayStart,
            dayStart.plus(Duration.ofDays(1)),
            1_000,
            used,
            exceeded,
            Instant.now()));
  }

  @Test
  @Order(3)
  void metrics_count_requests_per_tenant_api_and_stage() throws Exception {
    get(node, "/acme/pets/prod/pets");
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains(
            "turnpike_gateway_requests_total{api=\"pets\",release=\"base\",stage=\"prod\",status=\"2xx\",tenant=\"acme\"}")
        .contains("turnpike_gateway_request_latency_seconds_bucket")
        .contains("turnpike_config_version");
  }
}
