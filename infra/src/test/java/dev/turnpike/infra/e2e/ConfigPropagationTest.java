package dev.turnpike.infra.e2e;

import static dev.turnpike.infra.e2e.InProcessServices.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.gateway.node.GatewayNode;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane and a gateway node as they run in production, joined only by Kafka: a change
 * made through the management API reaches the gateway through the outbox, the relay and the
 * compacted config topics.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class ConfigPropagationTest {
  static final Duration PROPAGATION_BUDGET = Duration.ofSeconds(1);

  @Test
  void key_revocation_and_a_new_route_reach_the_gateway_within_a_second(
      TestDatabase db, KafkaBroker kafka, @TempDir Path gatewayData) throws Exception {
    try (TestControlPlane controlPlane =
        TestControlPlane.start(db, kafka.bootstrapServers(), Map.of())) {
      ApiClient api = controlPlane.client();
      String token = controlPlane.token("owner-" + UUID.randomUUID());
      Fixture fixture = new Fixture(api, token);
      MockPetsApi published =
          MockPetsApi.publish(fixture, "acme", new JsonObject().put("name", "Free"));
      String base = "/v1/tenants/" + published.tenant();
      String appId = published.appId();
      JsonObject revoked = fixture.key(published.tenant(), appId);
      String keptKey = fixture.key(published.tenant(), appId).getString("key");
      published.deploy(fixture);

      try (GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData)) {
        String pets = published.petsPath();
        Await.until(
            Duration.ofSeconds(60),
            () -> status(gateway, pets, revoked.getString("key")) == 200,
            "status(gateway, pets, revoked.getString('key')) == 200");

        long revokeStart = System.nanoTime();
        ApiClient.Answer revoke =
            api.post(
                token,
                base + "/apps/" + appId + "/keys/" + revoked.getString("id") + "/revoke",
                new JsonObject());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
        Await.until(
            PROPAGATION_BUDGET,
            () -> status(gateway, pets, revoked.getString("key")) == 403,
            "status(gateway, pets, revoked.getString('key')) == 403");
        long revokeMillis = (System.nanoTime() - revokeStart) / 1_000_000;

        fixture.created(
            base + "/apis/" + published.apiId() + "/routes",
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/toys")
                .put("apiKeyRequired", true)
                .put("integrationId", published.integrationId()));
        long deployStart = System.nanoTime();
        published.deploy(fixture);
        String toys = "/" + published.tenantSlug() + "/pets/prod/toys";
        Await.until(
            PROPAGATION_BUDGET,
            () -> status(gateway, toys, keptKey) == 200,
            "status(gateway, toys, keptKey) == 200");
        long deployMillis = (System.nanoTime() - deployStart) / 1_000_000;

        System.out.printf(
            "control plane -> gateway propagation: key revocation %d ms, new route %d ms%n",
            revokeMillis, deployMillis);
        assertThat(status(gateway, pets, keptKey)).isEqualTo(200);
      }
    }
  }
}
