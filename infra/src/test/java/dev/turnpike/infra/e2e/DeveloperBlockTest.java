package dev.turnpike.infra.e2e;

import static dev.turnpike.db.Tables.APP_BILLING_STANDINGS;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner blocks a developer through the management API: the gateway refuses the developer's keys
 * within a second (through the outbox, the relay and the keys topic, as every key change travels),
 * the portal API tells the developer why and refuses their changes, and unblocking gives back the
 * keys that worked before, while keys held for other reasons (disabled by the owner, suspended for
 * an unpaid bill) stay held.
 */
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class})
class DeveloperBlockTest {
  static final Duration PROPAGATION_BUDGET = Duration.ofSeconds(1);

  @Test
  void blocking_stops_a_developers_keys_within_a_second_and_unblocking_restores_only_those(
      TestDatabase db, KafkaBroker kafka, @TempDir Path gatewayData) {
    try (TestControlPlane cp = TestControlPlane.start(db, kafka.bootstrapServers(), Map.of())) {
      ApiClient api = cp.client();
      String owner = cp.token("owner-" + UUID.randomUUID());
      Fixture fixture = new Fixture(api, owner);
      MockPetsApi published =
          MockPetsApi.publish(fixture, "block", new JsonObject().put("name", "Free"));
      // The portal offers plans bound to a deployed stage.
      published.deploy(fixture);
      String portal = "/v1/portal/" + published.tenantSlug();
      String developer = cp.token("dev-" + UUID.randomUUID());
      String developerId = api.get(developer, "/v1/me").json().getString("id");
      assertThat(api.put(developer, portal + "/me", new JsonObject()).status()).isEqualTo(200);
      String appId = developerApp(api, developer, portal, published.planId(), "Mobile");
      String working = key(api, developer, portal, appId).getString("key");
      JsonObject disabled = key(api, developer, portal, appId);
      String appPath = "/v1/tenants/" + published.tenant() + "/apps/" + appId;
      assertThat(
              api.post(owner, appPath + "/keys/" + disabled.getString("id") + "/disable", null)
                  .status())
          .isEqualTo(200);
      String unpaidApp = developerApp(api, developer, portal, published.planId(), "Unpaid");
      // What billing writes when the payment provider reports a failed payment, and the standing
      // the control plane applies from billing's decision (the key reads the standing).
      db.ownerDsl()
          .update(SUBSCRIPTIONS)
          .set(SUBSCRIPTIONS.STATUS, "suspended")
          .where(SUBSCRIPTIONS.APP_ID.eq(UUID.fromString(unpaidApp)))
          .execute();
      db.ownerDsl()
          .insertInto(APP_BILLING_STANDINGS)
          .set(APP_BILLING_STANDINGS.TENANT_ID, UUID.fromString(published.tenant()))
          .set(APP_BILLING_STANDINGS.APP_ID, UUID.fromString(unpaidApp))
          .set(APP_BILLING_STANDINGS.STANDING, "suspended")
          .set(APP_BILLING_STANDINGS.REVISION, 1L)
          .set(APP_BILLING_STANDINGS.DECIDED_AT, OffsetDateTime.now(ZoneOffset.UTC))
          .execute();
      String unpaid = key(api, developer, portal, unpaidApp).getString("key");

      try (GatewayNode gateway = InProcessServices.gateway(kafka, gatewayData)) {
        String pets = published.petsPath();
        Await.until(
            Duration.ofSeconds(60),
            () -> status(gateway, pets, working) == 200,
            "the developer's key opens the gateway");
        assertThat(status(gateway, pets, disabled.getString("key"))).isEqualTo(403);
        assertThat(status(gateway, pets, unpaid)).isEqualTo(403);

        String developerPath = "/v1/tenants/" + published.tenant() + "/developers/" + developerId;
        long blockStart = System.nanoTime();
        ApiClient.Answer blocked =
            api.post(
                owner,
                developerPath + "/block",
                new JsonObject().put("reason", "Scraping the catalog against the terms"));
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(200);
        assertThat(blocked.json().getString("status")).isEqualTo("blocked");
        Await.until(
            PROPAGATION_BUDGET,
            () -> status(gateway, pets, working) == 403,
            "the blocked developer's key is refused");
        long blockMillis = (System.nanoTime() - blockStart) / 1_000_000;

        JsonObject me = api.get(developer, portal + "/me").json();
        assertThat(me.getString("status")).isEqualTo("blocked");
        assertThat(me.getString("blockedReason"))
            .isEqualTo("Scraping the catalog against the terms");
        assertThat(api.get(developer, portal + "/apps/" + appId).json().getString("status"))
            .isEqualTo("blocked");
        ApiClient.Answer refused =
            api.post(developer, portal + "/apps/" + appId + "/keys", new JsonObject());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("detail"))
            .contains("blocked")
            .contains("Scraping the catalog against the terms");
        ApiClient.Answer reactivated =
            api.put(owner, appPath, new JsonObject().put("name", "Mobile").put("status", "active"));
        assertThat(reactivated.status()).as("an owner reactivating one app").isEqualTo(409);

        long unblockStart = System.nanoTime();
        ApiClient.Answer unblocked = api.post(owner, developerPath + "/unblock", null);
        assertThat(unblocked.status()).as(unblocked.toString()).isEqualTo(200);
        Await.until(
            PROPAGATION_BUDGET,
            () -> status(gateway, pets, working) == 200,
            "the unblocked developer's key works again");
        long unblockMillis = (System.nanoTime() - unblockStart) / 1_000_000;
        assertThat(status(gateway, pets, disabled.getString("key"))).isEqualTo(403);
        assertThat(status(gateway, pets, unpaid)).isEqualTo(403);
        assertThat(api.get(developer, portal + "/me").json().getString("status"))
            .isEqualTo("active");
        System.out.printf(
            "developer block -> key refused at the gateway %d ms, unblock -> served %d ms%n",
            blockMillis, unblockMillis);
      }
    }
  }

  static String developerApp(
      ApiClient api, String developer, String portal, String planId, String name) {
    ApiClient.Answer app =
        api.post(developer, portal + "/apps", new JsonObject().put("name", name));
    assertThat(app.status()).as(app.toString()).isEqualTo(201);
    String appId = app.json().getString("id");
    ApiClient.Answer subscribed =
        api.post(
            developer,
            portal + "/apps/" + appId + "/subscriptions",
            new JsonObject().put("planId", planId));
    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
    return appId;
  }

  static JsonObject key(ApiClient api, String developer, String portal, String appId) {
    ApiClient.Answer key =
        api.post(developer, portal + "/apps/" + appId + "/keys", new JsonObject());
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    return key.json();
  }
}
