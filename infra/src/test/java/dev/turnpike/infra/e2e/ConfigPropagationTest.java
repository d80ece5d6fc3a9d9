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
import io.vertx.core.json.JsonArray;
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
      String tenantSlug = "acme-" + UUID.randomUUID().toString().substring(0, 6);
      String tenant =
          fixture
              .created("/v1/tenants", new JsonObject().put("slug", tenantSlug).put("name", "Acme"))
              .getString("id");
      String base = "/v1/tenants/" + tenant;
      String apiId =
          fixture
              .created(base + "/apis", new JsonObject().put("slug", "pets").put("name", "Pets"))
              .getString("id");
      String apiBase = base + "/apis/" + apiId;
      String mock =
          fixture
              .created(
                  apiBase + "/integrations",
                  new JsonObject()
                      .put("type", "mock")
                      .put(
                          "mock",
                          new JsonObject().put("statusCode", 200).put("body", "{\"pets\":[]}")))
              .getString("id");
      fixture.created(
          apiBase + "/routes",
          new JsonObject()
              .put("method", "GET")
              .put("resourcePath", "/pets")
              .put("apiKeyRequired", true)
              .put("integrationId", mock));
      String stageId = fixture.stage(tenant, apiId, "prod");
      String planId =
          fixture
              .created(
                  base + "/usage-plans",
                  new JsonObject()
                      .put("name", "Free")
                      .put(
                          "apiStages",
                          new JsonArray()
                              .add(new JsonObject().put("apiId", apiId).put("stage", "prod"))))
              .getString("id");
      String appId = fixture.app(tenant);
      fixture.subscribe(tenant, appId, planId);
      JsonObject revoked = fixture.key(tenant, appId);
      String keptKey = fixture.key(tenant, appId).getString("key");
      fixture.deploy(tenant, apiId, stageId);

      try (GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData)) {
        String pets = "/" + tenantSlug + "/pets/prod/pets";
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
            apiBase + "/routes",
            new JsonObject()
                .put("method", "GET")
                .put("resourcePath", "/toys")
                .put("apiKeyRequired", true)
                .put("integrationId", mock));
        long deployStart = System.nanoTime();
        fixture.deploy(tenant, apiId, stageId);
        String toys = "/" + tenantSlug + "/pets/prod/toys";
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
