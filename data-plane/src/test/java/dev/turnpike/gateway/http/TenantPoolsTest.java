package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.key;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.plan;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.gateway.runtime.TenantScope;
import dev.turnpike.testkit.Await;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TenantPoolsTest {
  static final String ACME_KEY = "tpk_acme00000000000000000000000000000000";
  static final String GLOBEX_KEY = "tpk_globex000000000000000000000000000000";

  static DeploymentSnapshot globexDeployment() {
    DeploymentSnapshot acme =
        deployment("prod", List.of(route("GET", "/hi", false, mock(200, "{}"))));
    return DeploymentSnapshot.builder()
        .tenantId(Fixtures.OTHER_TENANT_ID)
        .tenantSlug("globex")
        .apiId("api-globex")
        .apiSlug("pets")
        .stage("prod")
        .deploymentId("dep-globex")
        .hash("0".repeat(64))
        .deployedAt(Instant.now())
        .routes(acme.routes())
        .build();
  }

  @Nested
  class DedicatedNodes {
    @Test
    void serve_only_their_tenants_and_hold_no_other_tenants_keys() throws Exception {
      try (GatewayRig rig =
          GatewayRig.builder()
              .maxBodyBytes(1024)
              .tenants(TenantScope.only(Set.of(Fixtures.TENANT_ID)))
              .start()) {
        rig.load(
            List.of(
                deployment("prod", List.of(route("GET", "/hi", false, mock(200, "{}")))),
                globexDeployment()),
            List.of(
                key(ACME_KEY, "k-acme", Fixtures.TENANT_ID, KeyStatus.ENABLED, List.of("gold")),
                key(
                    GLOBEX_KEY,
                    "k-globex",
                    Fixtures.OTHER_TENANT_ID,
                    KeyStatus.ENABLED,
                    List.of("gold"))),
            List.of(plan("gold", null, null, "prod")));

        assertThat(rig.get("/acme/pets/prod/hi", Map.of()).status()).isEqualTo(200);
        var refused = rig.get("/globex/pets/prod/hi", Map.of());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("message")).isEqualTo("Forbidden");
        assertThat(rig.runtime().keysByHash()).containsKey(ApiKeyHash.sha256Hex(ACME_KEY));
        assertThat(rig.runtime().keysByHash()).doesNotContainKey(ApiKeyHash.sha256Hex(GLOBEX_KEY));
      }
    }
  }

  @Nested
  class RequestsInProgress {
    @Test
    void a_tenant_at_its_limit_gets_429_until_a_request_finishes() throws Exception {
      try (GatewayRig rig =
              GatewayRig.builder().maxBodyBytes(1024).maxInFlightPerTenant(1).start();
          TestBackend backend = TestBackend.start(rig.vertx)) {
        rig.load(
            List.of(
                deployment(
                    "prod",
                    List.of(
                        route("GET", "/slow", false, proxy(backend.url() + "/slow", 2_000)),
                        route("GET", "/hi", false, mock(200, "{}"))))),
            List.of(),
            List.of());
        var stage = rig.runtime().stage("acme", "pets", "prod");

        CompletableFuture<GatewayRig.Response> slow =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return rig.call(HttpMethod.GET, "/acme/pets/prod/slow", Map.of(), null);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        Await.until(
            Duration.ofSeconds(5),
            () -> stage.inFlight().current() == 1,
            "the slow call in flight");

        var refused = rig.get("/acme/pets/prod/hi", Map.of());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().getString("message")).isEqualTo("Too Many Requests");

        assertThat(slow.get().status()).isEqualTo(504);
        Await.until(
            Duration.ofSeconds(5), () -> stage.inFlight().current() == 0, "the slot released");
        assertThat(rig.get("/acme/pets/prod/hi", Map.of()).status()).isEqualTo(200);
      }
    }
  }
}
