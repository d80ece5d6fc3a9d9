package dev.turnpike.infra.e2e;

import static dev.turnpike.infra.e2e.InProcessServices.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.metering.node.MeteringService;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan that counts per subscription, end to end: the owner chooses it through the management API,
 * the gateway counts every key of the app against one quota, metering publishes one quota state for
 * the subscription, and a key minted after the quota ran out gets no fresh allowance.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class SubscriptionQuotaTest {
  static final int QUOTA = 6;

  @Test
  void the_apps_keys_share_one_quota_and_a_new_key_does_not_reset_it(
      TestDatabase db, KafkaBroker kafka, @TempDir Path gatewayData) {
    try (TestControlPlane cp = TestControlPlane.start(db, kafka.bootstrapServers(), Map.of());
        MeteringService metering = InProcessServices.metering(db, kafka, "subscription-quota")) {
      String owner = cp.token("owner-" + UUID.randomUUID());
      Fixture fixture = new Fixture(cp.client(), owner);
      MockPetsApi published =
          MockPetsApi.publish(
              fixture,
              "team",
              new JsonObject()
                  .put("name", "Team")
                  .put("limitScope", "subscription")
                  .put("quota", new JsonObject().put("limit", QUOTA).put("period", "DAY")));
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        keys.add(fixture.key(published.tenant(), published.appId()).getString("key"));
      }
      published.deploy(fixture);

      try (GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData)) {
        String pets = published.petsPath();
        Await.until(
            Duration.ofSeconds(60),
            () -> status(gateway, pets, keys.get(0)) == 200,
            "the gateway serves the plan's keys");
        Await.until(Duration.ofSeconds(30), metering::ready, "metering consumes usage");
        int served = 1;
        int refused = 0;
        for (int round = 0; round < 4; round++) {
          for (String key : keys) {
            int answer = status(gateway, pets, key);
            assertThat(answer).isIn(200, 429);
            if (answer == 200) {
              served++;
            } else {
              refused++;
            }
          }
        }

        assertThat(served).as("calls served across all three keys").isEqualTo(QUOTA);
        assertThat(refused).isEqualTo(12 + 1 - QUOTA);
        String subscription =
            Topics.quotaKey(
                LimitScope.SUBSCRIPTION.subject("", published.appId()), published.planId());
        Await.until(
            Duration.ofSeconds(30),
            () -> {
              QuotaState state = latest(kafka, subscription);
              return state != null && state.exceeded() && state.used() == QUOTA;
            },
            "metering's quota state for the subscription: " + QUOTA + " used, exceeded");
        String minted = fixture.key(published.tenant(), published.appId()).getString("key");
        Await.until(
            Duration.ofSeconds(10),
            () -> status(gateway, pets, minted) != 403,
            "the new key reaches the gateway");
        assertThat(status(gateway, pets, minted))
            .as("a key minted after the quota ran out")
            .isEqualTo(429);
      }
    }
  }

  static QuotaState latest(KafkaBroker kafka, String key) {
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
