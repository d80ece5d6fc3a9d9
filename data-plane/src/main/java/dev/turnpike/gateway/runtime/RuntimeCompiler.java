package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.authorizer.impl.Authorizers;
import dev.turnpike.gateway.cache.ResponseCaches;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.observability.RouteMeterBudget;
import dev.turnpike.gateway.observability.RouteMetricsSettings;
import dev.turnpike.gateway.snapshot.ShardedMap;
import dev.turnpike.gateway.upstream.StageUpstreams;
import dev.turnpike.gateway.upstream.UpstreamRegistry;
import dev.turnpike.gateway.upstream.UpstreamSettings;
import dev.turnpike.gateway.websocket.WebSocketSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns config records into a {@link GatewayRuntime}: route trees, integrations, limiters and
 * meters, built once per config change so requests only look things up. It is incremental: {@link
 * #update} rebuilds only the stages and keys a change names (a changed plan rebuilds the stages it
 * binds), and the new runtime shares everything else with the previous one through {@link
 * ShardedMap}s, so a change costs its own size, not the whole config's. Each result is still one
 * immutable runtime, swapped in whole. A deployment that cannot be served is logged and keeps its
 * previous version, rather than taking its neighbours down. Runs on the config thread, never on an
 * event loop. Not thread-safe: one compiler per node. A change of many keys (a cold start's)
 * compiles them on a pool of its own that ends with the change; the runtime is the same as one
 * thread's.
 *
 * <p>Deployment records are keyed {@link Topics#deploymentKey} and plan records {@link
 * Topics#planKey}, as the control plane publishes them: a plan finds the stages it binds by that
 * key.
 */
public final class RuntimeCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeCompiler.class);

  private final LimiterRegistry limiters;
  private final StageCompiler stageCompiler;
  private final TenantScope tenants;
  private final UpstreamRegistry upstreams;
  // How many threads compile the keys of a large change (a cold start): one per core, at most 8.
  private final int keyThreads = Math.min(8, Runtime.getRuntime().availableProcessors());

  /** A deployment as last compiled, and the limiters its stage holds. */
  private record Compiled(
      DeploymentSnapshot deployment, String address, StageRuntime stage, Set<String> limiterIds) {}

  // Below this many keys a change is compiled on the config thread alone.
  private static final int PARALLEL_MIN_KEYS = 10_000;

  private final Map<String, Compiled> compiledByKey = new HashMap<>();
  // How many compiled stages hold each limiter; a limiter no stage holds is forgotten.
  private final Map<String, Integer> limiterHolders = new HashMap<>();
  // Immutable: a plan change compares the new plan with this one.
  private Map<String, PlanRecord> plans = Map.of();
  // The same plans by tenant: a stage binds only its tenant's plans, so compiling one looks at
  // those alone, not at every plan of the node (50,000 stages x 20,000 plans at SaaS scale).
  private final Map<String, Map<String, PlanRecord>> plansByTenant = new HashMap<>();
  private ShardedMap<String, StageRuntime> stages = ShardedMap.empty();
  private ShardedMap<String, KeyRuntime> keys = ShardedMap.empty();

  /**
   * A compiler with the node's defaults for response caches, upstreams, WebSocket limits and
   * per-route meters.
   */
  public RuntimeCompiler(
      LimiterRegistry limiters,
      IntegrationFactory integrations,
      Authorizers authorizers,
      MeterRegistry meters,
      ThrottleLimit accountLimit,
      TenantScope tenants,
      int maxInFlightPerTenant) {
    this(
        limiters,
        integrations,
        authorizers,
        meters,
        accountLimit,
        tenants,
        maxInFlightPerTenant,
        ResponseCaches.withDefaults(),
        defaultUpstreams(integrations, meters),
        WebSocketSettings.DEFAULTS,
        new RouteMeterBudget(RouteMetricsSettings.DEFAULTS));
  }

  /**
   * @param caches the node's stage response caches, which outlive each compiled runtime
   * @param upstreams where the deployments' upstream pools live (their probes, breakers, meters)
   * @param webSockets the node's WebSocket limits, which WebSocket stages are compiled with
   * @param routeMeters which routes get meters of their own, across every stage of the node
   */
  public RuntimeCompiler(
      LimiterRegistry limiters,
      IntegrationFactory integrations,
      Authorizers authorizers,
      MeterRegistry meters,
      ThrottleLimit accountLimit,
      TenantScope tenants,
      int maxInFlightPerTenant,
      ResponseCaches caches,
      UpstreamRegistry upstreams,
      WebSocketSettings webSockets,
      RouteMeterBudget routeMeters) {
    this.upstreams = upstreams;
    this.limiters = limiters;
    this.stageCompiler =
        new StageCompiler(
            limiters,
            integrations,
            authorizers,
            meters,
            accountLimit,
            maxInFlightPerTenant,
            caches,
            webSockets,
            routeMeters);
    this.tenants = tenants;
  }

  private static UpstreamRegistry defaultUpstreams(
      IntegrationFactory integrations, MeterRegistry meters) {
    return new UpstreamRegistry(
        integrations.clients(), integrations.egress(), meters, UpstreamSettings.DEFAULTS);
  }

  /** Compiles records given as collections, keyed as the control plane keys them. */
  public GatewayRuntime compile(
      Collection<DeploymentSnapshot> deployments,
      Map<String, KeyRecord> keysByHash,
      Collection<PlanRecord> plans,
      long version) {
    Map<String, DeploymentSnapshot> deploymentsByKey = new HashMap<>();
    deployments.forEach(d -> deploymentsByKey.put(deploymentKey(d), d));
    Map<String, PlanRecord> plansByKey = new HashMap<>();
    plans.forEach(p -> plansByKey.put(Topics.planKey(p.tenantId(), p.planId()), p));
    return compile(deploymentsByKey, keysByHash, plansByKey, version);
  }

  /**
   * Brings the runtime to exactly these records, comparing all of them with what it holds: for a
   * state whose changes are not known (the first one, or one that replaces a snapshot file's).
   */
  public GatewayRuntime compile(
      Map<String, DeploymentSnapshot> deployments,
      Map<String, KeyRecord> keysByHash,
      Map<String, PlanRecord> plans,
      long version) {
    return update(
        deployments,
        union(deployments.keySet(), compiledByKey.keySet()),
        keysByHash,
        union(keysByHash.keySet(), keys.keySet()),
        plans,
        union(plans.keySet(), this.plans.keySet()),
        version);
  }

  /**
   * Applies the records named as changed; the maps are the whole current config, read only for the
   * names and, for plans, the stages a plan binds.
   */
  public GatewayRuntime update(
      Map<String, DeploymentSnapshot> deployments,
      Set<String> changedDeployments,
      Map<String, KeyRecord> keysByHash,
      Set<String> changedKeys,
      Map<String, PlanRecord> plans,
      Set<String> changedPlans,
      long version) {
    Set<String> dirty = new HashSet<>();
    for (String key : changedDeployments) {
      Compiled held = compiledByKey.get(key);
      if (held == null || !held.deployment().equals(deployments.get(key))) {
        dirty.add(key);
      }
    }
    for (String key : changedPlans) {
      PlanRecord before = this.plans.get(key);
      PlanRecord after = plans.get(key);
      if (!Objects.equals(before, after)) {
        addStagesBoundBy(before, dirty);
        addStagesBoundBy(after, dirty);
        reindex(key, before, after);
      }
    }
    if (!changedPlans.isEmpty()) {
      // A config state's map is kept as it is; any other is copied, as its owner may change it.
      this.plans = ShardedMap.copyOf(plans);
    }
    Map<String, StageRuntime> removed = new HashMap<>();
    Map<String, StageRuntime> added = new HashMap<>();
    for (String key : dirty) {
      recompile(key, deployments.get(key), removed, added);
    }
    // Removals first: a stage may move to an address another one left in the same change.
    stages = stages.with(removed).with(added);
    keys = keys.with(keyChanges(keysByHash, changedKeys));
    return new GatewayRuntime(stages, keys, version);
  }

  private static void addStagesBoundBy(PlanRecord plan, Set<String> dirty) {
    if (plan != null) {
      for (PlanStage binding : plan.apiStages()) {
        dirty.add(Topics.deploymentKey(plan.tenantId(), binding.apiId(), binding.stage()));
      }
    }
  }

  private void reindex(String key, PlanRecord before, PlanRecord after) {
    if (before != null) {
      Map<String, PlanRecord> tenant = plansByTenant.get(before.tenantId());
      if (tenant != null) {
        tenant.remove(key);
        if (tenant.isEmpty()) {
          plansByTenant.remove(before.tenantId());
        }
      }
    }
    if (after != null) {
      plansByTenant.computeIfAbsent(after.tenantId(), t -> new HashMap<>()).put(key, after);
    }
  }

  /** The tenant's plans, the only ones its stages can bind. */
  private Collection<PlanRecord> plansOf(String tenantId) {
    return plansByTenant.getOrDefault(tenantId, Map.of()).values();
  }

  private void recompile(
      String key,
      DeploymentSnapshot deployment,
      Map<String, StageRuntime> removed,
      Map<String, StageRuntime> added) {
    Compiled held = compiledByKey.get(key);
    if (deployment == null || !tenants.serves(deployment.tenantId())) {
      upstreams.release(key);
      upstreams.release(canaryKey(key));
      if (held != null) {
        compiledByKey.remove(key);
        release(held.limiterIds());
        removed.put(held.address(), null);
        stageCompiler.forgetCache(held.deployment());
      }
      return;
    }
    String address =
        GatewayRuntime.stageAddress(
            deployment.tenantSlug(), deployment.apiSlug(), deployment.stage());
    Set<String> limiterIds = new HashSet<>();
    Collection<PlanRecord> plans = plansOf(deployment.tenantId());
    StageRuntime stage;
    StageUpstreams stageUpstreams = upstreams.open(key, deployment);
    try {
      stage = stageCompiler.compile(deployment, plans, limiterIds, stageUpstreams);
    } catch (IllegalArgumentException e) {
      upstreams.discard(key, stageUpstreams);
      LOG.error(
          "deployment {} of {} cannot be served, keeping the previous one: {}",
          deployment.deploymentId(),
          address,
          e.getMessage());
      forgetUnheld(limiterIds);
      return;
    }
    stage = withCanary(key, address, deployment, stage, plans, limiterIds);
    // Hold the new limiters before releasing the old: those both versions use keep their buckets.
    limiterIds.forEach(id -> limiterHolders.merge(id, 1, Integer::sum));
    if (held != null) {
      release(held.limiterIds());
      if (!held.address().equals(address)) {
        removed.put(held.address(), null);
      }
    }
    upstreams.commit(key, stageUpstreams);
    compiledByKey.put(key, new Compiled(deployment, address, stage, Set.copyOf(limiterIds)));
    added.put(address, stage);
  }

  /**
   * The stage with its canary compiled beside it, or without one when it has none or the canary
   * cannot be served: then every caller gets the base, which is the safe side of a release.
   */
  private StageRuntime withCanary(
      String key,
      String address,
      DeploymentSnapshot deployment,
      StageRuntime stage,
      Collection<PlanRecord> plans,
      Set<String> limiterIds) {
    CanaryConfig canary = deployment.canary();
    if (canary == null) {
      upstreams.release(canaryKey(key));
      return stage;
    }
    StageUpstreams canaryUpstreams = upstreams.open(canaryKey(key), canary.deployment());
    StageRuntime side;
    try {
      side = stageCompiler.compileCanary(deployment, canary, plans, limiterIds, canaryUpstreams);
    } catch (IllegalArgumentException e) {
      upstreams.discard(canaryKey(key), canaryUpstreams);
      upstreams.release(canaryKey(key));
      LOG.error(
          "canary deployment {} of {} cannot be served, the base serves every caller: {}",
          canary.deployment().deploymentId(),
          address,
          e.getMessage());
      return stage;
    }
    upstreams.commit(canaryKey(key), canaryUpstreams);
    return stage.withCanary(
        CanaryRuntime.of(stage, side, canary.permille(), canary.stickinessSeconds() * 1000L));
  }

  /** Where a stage's canary keeps its upstream pools, apart from its base's. */
  private static String canaryKey(String key) {
    return key + "#canary";
  }

  private void release(Set<String> limiterIds) {
    Set<String> unheld = new HashSet<>();
    for (String id : limiterIds) {
      if (limiterHolders.merge(id, -1, Integer::sum) == 0) {
        limiterHolders.remove(id);
        unheld.add(id);
      }
    }
    limiters.forget(unheld);
  }

  private void forgetUnheld(Set<String> limiterIds) {
    limiters.forget(limiterIds.stream().filter(id -> !limiterHolders.containsKey(id)).toList());
  }

  private Map<String, KeyRuntime> keyChanges(
      Map<String, KeyRecord> keysByHash, Set<String> changedKeys) {
    if (changedKeys.size() < PARALLEL_MIN_KEYS || keyThreads < 2) {
      Map<String, KeyRuntime> changes = new HashMap<>();
      for (String hash : changedKeys) {
        keyChange(hash, keysByHash).ifPresent(change -> changes.put(hash, change.runtime()));
      }
      return changes;
    }
    // A cold start (or a whole state replacing the snapshot file's) compiles every key: each one
    // on its own, so on a pool that lives for this compile only. The map is then filled in one
    // thread, so the result is the same as above.
    String[] hashes = changedKeys.toArray(String[]::new);
    KeyChange[] results = new KeyChange[hashes.length];
    try (ForkJoinPool pool =
        new ForkJoinPool(
            keyThreads,
            p -> {
              ForkJoinWorkerThread thread =
                  ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
              thread.setName("turnpike-key-compile-" + thread.getPoolIndex());
              return thread;
            },
            null,
            false)) {
      pool.submit(
              () ->
                  IntStream.range(0, hashes.length)
                      .parallel()
                      .forEach(i -> results[i] = keyChange(hashes[i], keysByHash).orElse(null)))
          .join();
    }
    Map<String, KeyRuntime> changes = HashMap.newHashMap(hashes.length);
    for (int i = 0; i < hashes.length; i++) {
      if (results[i] != null) {
        changes.put(hashes[i], results[i].runtime());
      }
    }
    return changes;
  }

  /** A key's new runtime, null to remove it; empty when the runtime holds it as it is. */
  private record KeyChange(KeyRuntime runtime) {}

  /** Reads only immutable state ({@link #keys} is not replaced until the change is computed). */
  private Optional<KeyChange> keyChange(String hash, Map<String, KeyRecord> keysByHash) {
    KeyRecord record = keysByHash.get(hash);
    KeyRuntime held = keys.get(hash);
    if (record == null || !tenants.serves(record.tenantId())) {
      return held == null ? Optional.empty() : Optional.of(new KeyChange(null));
    }
    if (held == null || !held.record().equals(record)) {
      return Optional.of(new KeyChange(KeyRuntime.of(record)));
    }
    return Optional.empty();
  }

  private static String deploymentKey(DeploymentSnapshot deployment) {
    return Topics.deploymentKey(deployment.tenantId(), deployment.apiId(), deployment.stage());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    return union;
  }

  /** For tests and metrics: the limiters currently referenced. */
  public int limiterCount() {
    return limiterHolders.size();
  }
}
