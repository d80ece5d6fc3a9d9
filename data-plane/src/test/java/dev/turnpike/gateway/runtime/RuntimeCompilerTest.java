package dev.turnpike.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.UpstreamClients;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.node.NodeSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Applying one changed record rebuilds what it names, and only that. */
class RuntimeCompilerTest {
  private final Vertx vertx = Vertx.vertx();
  private final UpstreamClients upstreams = new UpstreamClients(vertx, 10);
  private final RuntimeCompiler compiler = newCompiler();

  // The config as the feed holds it, changed record by record.
  private final Map<String, DeploymentSnapshot> deployments = new HashMap<>();
  private final Map<String, KeyRecord> keys = new HashMap<>();
  private final Map<String, PlanRecord> plans = new HashMap<>();
  private long version;

  @AfterEach
  void close() {
    upstreams.close().await();
    vertx.close().await();
  }

  private RuntimeCompiler newCompiler() {
    return new RuntimeCompiler(
        new LimiterRegistry(1),
        new IntegrationFactory(
            upstreams,
            new EgressGuard(
                vertx,
                NodeSettings.fromEnvironment(Map.of("TURNPIKE_EGRESS_POLICY", "trial"))
                    .egress()
                    .policy(MachineNetwork.SYSTEM, List.of()))),
        dev.turnpike.gateway.authorizer.impl.Authorizers.on(
            vertx,
            upstreams,
            new EgressGuard(vertx, dev.turnpike.egress.EgressPolicy.strict()),
            java.time.Clock.systemUTC(),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
        new SimpleMeterRegistry(),
        new ThrottleLimit(1000, 500),
        TenantScope.all(),
        0);
  }

  /** Three stages of one tenant; the plan binds the first two; a key in the plan. */
  private GatewayRuntime compileBase() {
    for (String api : List.of("api-1", "api-2", "api-3")) {
      put(deployment(api, "v1", "/pets"));
    }
    put(plan(50, 1_000, "api-1", "api-2"));
    put(key("alice", KeyStatus.ENABLED));
    put(key("bob", KeyStatus.ENABLED));
    return compiler.compile(deployments, keys, plans, ++version);
  }

  private GatewayRuntime update(
      Set<String> changedDeployments, Set<String> changedKeys, Set<String> changedPlans) {
    return compiler.update(
        Map.copyOf(deployments),
        changedDeployments,
        Map.copyOf(keys),
        changedKeys,
        Map.copyOf(plans),
        changedPlans,
        ++version);
  }

  @Nested
  class Keys {
    @Test
    void one_changed_key_is_rebuilt_and_everything_else_is_shared() {
      GatewayRuntime before = compileBase();

      KeyRecord revoked = put(key("alice", KeyStatus.REVOKED));
      GatewayRuntime after = update(Set.of(), Set.of(revoked.keyHash()), Set.of());

      assertThat(after.keysByHash().get(revoked.keyHash()).record().status())
          .isEqualTo(KeyStatus.REVOKED);
      String bob = hash("bob");
      assertThat(after.keysByHash().get(bob)).isSameAs(before.keysByHash().get(bob));
      assertThat(after.stages()).isSameAs(before.stages());
      assertThat(before.keysByHash().get(revoked.keyHash()).record().status())
          .as("the previous runtime, which requests in flight may hold, is left as it was")
          .isEqualTo(KeyStatus.ENABLED);
    }

    @Test
    void a_key_revoked_before_a_deployment_change_stays_revoked() {
      compileBase();
      KeyRecord revoked = put(key("alice", KeyStatus.REVOKED));
      update(Set.of(), Set.of(revoked.keyHash()), Set.of());

      String changed = put(deployment("api-1", "v2", "/pets", "/owners"));
      GatewayRuntime after = update(Set.of(changed), Set.of(), Set.of());

      assertThat(after.keysByHash().get(revoked.keyHash()).record().status())
          .isEqualTo(KeyStatus.REVOKED);
      assertThat(stage(after, "api-1").deployment().deploymentId()).isEqualTo("v2");
    }

    @Test
    void a_deleted_key_is_gone() {
      compileBase();
      String alice = hash("alice");
      keys.remove(alice);

      GatewayRuntime after = update(Set.of(), Set.of(alice), Set.of());

      assertThat(after.keysByHash()).doesNotContainKey(alice).containsKey(hash("bob"));
    }
  }

  @Nested
  class Deployments {
    @Test
    void one_changed_deployment_rebuilds_its_stage_only() {
      GatewayRuntime before = compileBase();

      String changed = put(deployment("api-2", "v2", "/pets", "/owners"));
      GatewayRuntime after = update(Set.of(changed), Set.of(), Set.of());

      assertThat(stage(after, "api-2").deployment().deploymentId()).isEqualTo("v2");
      assertThat(stage(after, "api-1")).isSameAs(stage(before, "api-1"));
      assertThat(stage(after, "api-3")).isSameAs(stage(before, "api-3"));
      assertThat(after.keysByHash()).isSameAs(before.keysByHash());
    }

    @Test
    void a_deleted_deployment_stops_being_served_and_frees_its_own_limiters() {
      compileBase();
      int limitersBefore = compiler.limiterCount();
      String gone = Topics.deploymentKey("t-1", "api-3", "prod");
      deployments.remove(gone);

      GatewayRuntime after = update(Set.of(gone), Set.of(), Set.of());

      assertThat(after.stages()).hasSize(2);
      assertThat(stage(after, "api-3")).isNull();
      // Its stage limiter; the tenant's account limiter stays, as the other stages hold it.
      assertThat(compiler.limiterCount()).isEqualTo(limitersBefore - 1);
    }

    @Test
    void a_deployment_that_cannot_be_served_keeps_its_previous_version() {
      GatewayRuntime before = compileBase();

      String broken = put(deployment("api-1", "v2", "/pets", "/pets"));
      GatewayRuntime after = update(Set.of(broken), Set.of(), Set.of());

      assertThat(stage(after, "api-1")).isSameAs(stage(before, "api-1"));
    }
  }

  @Nested
  class Plans {
    @Test
    void a_changed_plan_reaches_every_stage_it_binds_and_no_other() {
      GatewayRuntime before = compileBase();

      String changed = Topics.planKey("t-1", "plan-1");
      put(plan(70, 2_000, "api-1", "api-2"));
      GatewayRuntime after = update(Set.of(), Set.of(), Set.of(changed));

      for (String api : List.of("api-1", "api-2")) {
        // Every key of the plan is counted against the stage's binding of it.
        assertThat(stage(after, api).plans().get("plan-1").quota().limit()).isEqualTo(2_000);
      }
      assertThat(stage(after, "api-3")).isSameAs(stage(before, "api-3"));
      assertThat(after.keysByHash()).isSameAs(before.keysByHash());
    }

    @Test
    void a_stage_the_plan_no_longer_binds_loses_it() {
      compileBase();

      String changed = Topics.planKey("t-1", "plan-1");
      put(plan(50, 1_000, "api-1"));
      GatewayRuntime after = update(Set.of(), Set.of(), Set.of(changed));

      assertThat(stage(after, "api-1").plans()).containsKey("plan-1");
      assertThat(stage(after, "api-2").plans()).doesNotContainKey("plan-1");
    }

    @Test
    void a_stage_recompiled_later_binds_its_tenants_current_plans_only() {
      compileBase();
      String foreign = Topics.planKey("t-2", "plan-9");
      plans.put(
          foreign,
          new PlanRecord(
              1,
              "t-2",
              "plan-9",
              "Another tenant's",
              new ThrottleLimit(5, 5),
              new QuotaLimit(9, 0, QuotaPeriod.MONTH),
              List.of(new PlanStage("api-1", "prod", null, Map.of()))));
      update(Set.of(), Set.of(), Set.of(foreign));
      String deleted = Topics.planKey("t-1", "plan-1");
      plans.remove(deleted);
      update(Set.of(), Set.of(), Set.of(deleted));

      GatewayRuntime after =
          update(Set.of(put(deployment("api-1", "v2", "/pets"))), Set.of(), Set.of());

      assertThat(stage(after, "api-1").deployment().deploymentId()).isEqualTo("v2");
      assertThat(stage(after, "api-1").plans()).isEmpty();
    }
  }

  @Nested
  class Consistency {
    @Test
    void many_incremental_changes_end_where_one_compile_of_the_result_does() {
      compileBase();
      Random random = new Random(13);
      GatewayRuntime incremental = null;
      for (int step = 0; step < 200; step++) {
        Set<String> changedDeployments = Set.of();
        Set<String> changedKeys = Set.of();
        Set<String> changedPlans = Set.of();
        String api = "api-" + (1 + random.nextInt(4));
        switch (random.nextInt(5)) {
          case 0 -> changedDeployments = Set.of(put(deployment(api, "v" + step, "/pets")));
          case 1 -> {
            changedDeployments = Set.of(Topics.deploymentKey("t-1", api, "prod"));
            deployments.remove(changedDeployments.iterator().next());
          }
          case 2 -> {
            String name = "key-" + random.nextInt(20);
            changedKeys = Set.of(hash(name));
            if (random.nextBoolean()) {
              put(key(name, random.nextBoolean() ? KeyStatus.ENABLED : KeyStatus.REVOKED));
            } else {
              keys.remove(hash(name));
            }
          }
          default -> {
            changedPlans = Set.of(Topics.planKey("t-1", "plan-1"));
            put(plan(10 + step, 100 + step, api, "api-" + (1 + random.nextInt(4))));
          }
        }
        incremental = update(changedDeployments, changedKeys, changedPlans);
      }
      GatewayRuntime fresh = newCompiler().compile(deployments, keys, plans, version);

      assertThat(view(incremental)).isEqualTo(view(fresh));
    }

    @Test
    void a_cold_start_of_many_keys_compiled_in_parallel_equals_one_key_batch_at_a_time() {
      // Above the size a change's keys are compiled on a pool at; the batches below it are not.
      for (int i = 0; i < 12_000; i++) {
        put(key("key-" + i, i % 7 == 0 ? KeyStatus.REVOKED : KeyStatus.ENABLED));
      }
      for (String api : List.of("api-1", "api-2")) {
        put(deployment(api, "v1", "/pets"));
      }
      put(plan(50, 1_000, "api-1"));
      RuntimeCompiler batched = newCompiler();
      List<String> hashes = new ArrayList<>(keys.keySet());
      GatewayRuntime stepByStep = null;
      for (int from = 0; from < hashes.size(); from += 1_000) {
        Set<String> batch = Set.copyOf(hashes.subList(from, Math.min(from + 1_000, hashes.size())));
        stepByStep =
            batched.update(
                Map.copyOf(deployments),
                from == 0 ? deployments.keySet() : Set.of(),
                Map.copyOf(keys),
                batch,
                Map.copyOf(plans),
                from == 0 ? plans.keySet() : Set.of(),
                ++version);
      }

      GatewayRuntime atOnce = compiler.compile(deployments, keys, plans, version);
      assertThat(view(atOnce)).isEqualTo(view(stepByStep));

      // A whole state again (as when Kafka's replaces the snapshot file's): some keys gone, some
      // changed, the rest kept as they were.
      for (int i = 0; i < 12_000; i += 5) {
        keys.remove(hash("key-" + i));
      }
      for (int i = 1; i < 12_000; i += 5) {
        put(key("key-" + i, KeyStatus.DISABLED));
      }
      String unchanged = hash("key-2");
      GatewayRuntime again = compiler.compile(deployments, keys, plans, ++version);

      assertThat(view(again)).isEqualTo(view(newCompiler().compile(deployments, keys, plans, 1)));
      assertThat(again.keysByHash().get(unchanged)).isSameAs(atOnce.keysByHash().get(unchanged));
    }

    /** What a runtime serves, without the limiter and meter objects each compiler makes. */
    private Map<String, Object> view(GatewayRuntime runtime) {
      Map<String, Object> view = new TreeMap<>();
      runtime.keysByHash().forEach((hash, key) -> view.put("key " + hash, key.record()));
      runtime
          .stages()
          .forEach(
              (address, stage) -> {
                Map<String, Object> bindings = new TreeMap<>();
                stage
                    .plans()
                    .forEach(
                        (planId, binding) ->
                            bindings.put(
                                planId,
                                binding.quota().limit() + " " + binding.keyLimiter().limit()));
                view.put("stage " + address, stage.deployment() + " " + bindings);
              });
      return view;
    }
  }

  private StageRuntime stage(GatewayRuntime runtime, String api) {
    return runtime.stage("t-1-slug", api + "-slug", "prod");
  }

  private String put(DeploymentSnapshot deployment) {
    String key =
        Topics.deploymentKey(deployment.tenantId(), deployment.apiId(), deployment.stage());
    deployments.put(key, deployment);
    return key;
  }

  private KeyRecord put(KeyRecord key) {
    keys.put(key.keyHash(), key);
    return key;
  }

  private void put(PlanRecord plan) {
    plans.put(Topics.planKey(plan.tenantId(), plan.planId()), plan);
  }

  private static String hash(String name) {
    return ApiKeyHash.sha256Hex("tpk_" + name);
  }

  private static KeyRecord key(String name, KeyStatus status) {
    return new KeyRecord(
        1,
        hash(name),
        "id-" + name,
        "tpk_" + name,
        "t-1",
        "app-1",
        List.of("plan-1"),
        status,
        null);
  }

  private static PlanRecord plan(int rate, long quota, String... apis) {
    List<PlanStage> stages = new ArrayList<>();
    for (String api : apis) {
      stages.add(new PlanStage(api, "prod", null, Map.of()));
    }
    return new PlanRecord(
        1,
        "t-1",
        "plan-1",
        "Gold",
        new ThrottleLimit(rate, 100),
        new QuotaLimit(quota, 0, QuotaPeriod.MONTH),
        List.copyOf(Set.copyOf(stages)));
  }

  private static DeploymentSnapshot deployment(String api, String id, String... paths) {
    List<RouteConfig> routes = new ArrayList<>();
    for (String path : paths) {
      routes.add(
          new RouteConfig(
              "r-" + path,
              "GET",
              path,
              true,
              new IntegrationConfig(
                  IntegrationType.HTTP_PROXY,
                  "GET",
                  "http://backend.internal" + path,
                  1000,
                  29000,
                  Map.of(),
                  null)));
    }
    return DeploymentSnapshot.builder()
        .tenantId("t-1")
        .tenantSlug("t-1-slug")
        .apiId(api)
        .apiSlug(api + "-slug")
        .stage("prod")
        .deploymentId(id)
        .hash("hash-" + id)
        .deployedAt(Instant.parse("2026-01-10T10:00:00Z"))
        .stageThrottle(new ThrottleLimit(100, 200))
        .routes(routes)
        .build();
  }
}
