package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.http.GatewayResponses;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationFactory;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.observability.StageMeters;
import dev.turnpike.gateway.quota.QuotaPolicy;
import dev.turnpike.gateway.routing.RouteTable;
import dev.turnpike.gateway.throttle.GcraLimiter;
import dev.turnpike.gateway.validation.RequestCheck;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns config records into a {@link GatewayRuntime}: route trees, integrations, limiters and
 * meters, built once per config change so requests only look things up. A deployment that cannot be
 * served is logged and keeps its previous version, rather than taking its neighbours down. Runs on
 * the config thread, never on an event loop. Not thread-safe: one compiler per node.
 */
public final class RuntimeCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeCompiler.class);

  private final LimiterRegistry limiters;
  private final IntegrationFactory integrations;
  private final MeterRegistry meters;
  private final ThrottleLimit accountLimit;
  private final TenantScope tenants;
  private final int maxInFlightPerTenant;
  // Kept across compiles: a config change must not reset the count of requests in progress.
  private final Map<String, InFlight> inFlightByTenant =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Collection<DeploymentSnapshot> lastDeployments = List.of();
  private Collection<PlanRecord> lastPlans = List.of();
  private Map<String, StageRuntime> lastStages = Map.of();
  private Set<String> lastLimiterIds = Set.of();

  public RuntimeCompiler(
      LimiterRegistry limiters,
      IntegrationFactory integrations,
      MeterRegistry meters,
      ThrottleLimit accountLimit,
      TenantScope tenants,
      int maxInFlightPerTenant) {
    this.limiters = limiters;
    this.integrations = integrations;
    this.meters = meters;
    this.accountLimit = accountLimit;
    this.tenants = tenants;
    this.maxInFlightPerTenant = maxInFlightPerTenant;
  }

  public GatewayRuntime compile(
      Collection<DeploymentSnapshot> deployments,
      Map<String, KeyRecord> keysByHash,
      Collection<PlanRecord> plans,
      long version) {
    Map<String, StageRuntime> stages;
    if (sameContent(deployments, lastDeployments) && sameContent(plans, lastPlans)) {
      stages = lastStages;
    } else {
      Set<String> limiterIds = new HashSet<>();
      stages = new HashMap<>();
      for (DeploymentSnapshot deployment : deployments) {
        if (!tenants.serves(deployment.tenantId())) {
          continue;
        }
        String address =
            GatewayRuntime.stageAddress(
                deployment.tenantSlug(), deployment.apiSlug(), deployment.stage());
        try {
          stages.put(address, compileStage(deployment, plans, limiterIds));
        } catch (IllegalArgumentException e) {
          LOG.error(
              "deployment {} of {} cannot be served, keeping the previous one: {}",
              deployment.deploymentId(),
              address,
              e.getMessage());
          StageRuntime previous = lastStages.get(address);
          if (previous != null) {
            stages.put(address, previous);
            limiterIds.addAll(lastLimiterIds);
          }
        }
      }
      limiters.retainOnly(limiterIds);
      lastDeployments = List.copyOf(deployments);
      lastPlans = List.copyOf(plans);
      lastStages = Map.copyOf(stages);
      lastLimiterIds = Set.copyOf(limiterIds);
    }
    return new GatewayRuntime(stages, compileKeys(keysByHash, tenants), version);
  }

  private static boolean sameContent(Collection<?> current, Collection<?> last) {
    return current.size() == last.size() && new HashSet<>(current).equals(new HashSet<>(last));
  }

  private StageRuntime compileStage(
      DeploymentSnapshot deployment, Collection<PlanRecord> plans, Set<String> limiterIds) {
    String stageScope = deployment.tenantId() + ":" + deployment.apiId() + ":" + deployment.stage();
    RouteTable.Builder<RouteRuntime> routes = RouteTable.builder();
    for (RouteConfig route : deployment.routes()) {
      String methodKey = route.resourcePath() + "/" + route.method();
      CompiledCheck check = checkOf(deployment, route);
      routes.add(
          route.method(),
          route.resourcePath(),
          new RouteRuntime(
              route.routeId(),
              route.method() + " " + route.resourcePath(),
              methodKey,
              route.apiKeyRequired(),
              check.broken() ? null : integrationOf(deployment, route),
              limiters.limiter(
                  "stage-method:" + stageScope + ":" + methodKey,
                  deployment.methodThrottles().get(methodKey),
                  limiterIds),
              check.check()));
    }
    return new StageRuntime(
        deployment,
        routes.build(),
        planBindings(deployment, plans, limiterIds),
        limiters.limiter("stage:" + stageScope, deployment.stageThrottle(), limiterIds),
        limiters.limiter("account:" + deployment.tenantId(), accountLimit, limiterIds),
        GatewayResponses.withOverrides(deployment.gatewayResponses()),
        new StageMeters(meters, deployment.tenantSlug(), deployment.apiSlug(), deployment.stage()),
        inFlightByTenant.computeIfAbsent(
            deployment.tenantId(), tenant -> new InFlight(maxInFlightPerTenant)));
  }

  /** A validator that cannot be compiled breaks its route (500), never silently skips checks. */
  private record CompiledCheck(RequestCheck check, boolean broken) {}

  private static CompiledCheck checkOf(DeploymentSnapshot deployment, RouteConfig route) {
    try {
      return new CompiledCheck(RequestCheck.compile(route.validation()), false);
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "route {} {} of deployment {} answers 500 until its request validator is fixed: {}",
          route.method(),
          route.resourcePath(),
          deployment.deploymentId(),
          e.getMessage());
      return new CompiledCheck(null, true);
    }
  }

  private Integration integrationOf(DeploymentSnapshot deployment, RouteConfig route) {
    try {
      return integrations.build(
          new IntegrationOwner(
              deployment.tenantId(),
              deployment.tenantSlug(),
              deployment.apiSlug(),
              deployment.stage(),
              route.method() + " " + route.resourcePath()),
          route.integration());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "route {} {} of deployment {} answers 500 until fixed: {}",
          route.method(),
          route.resourcePath(),
          deployment.deploymentId(),
          e.getMessage());
      return null;
    }
  }

  private Map<String, PlanBinding> planBindings(
      DeploymentSnapshot deployment, Collection<PlanRecord> plans, Set<String> limiterIds) {
    Map<String, PlanBinding> bindings = new HashMap<>();
    for (PlanRecord plan : plans) {
      if (!plan.tenantId().equals(deployment.tenantId())) {
        continue;
      }
      for (PlanStage binding : plan.apiStages()) {
        if (!binding.apiId().equals(deployment.apiId())
            || !binding.stage().equals(deployment.stage())) {
          continue;
        }
        String stageScope = plan.planId() + ":" + deployment.apiId() + ":" + deployment.stage();
        // Without a stage override the plan's limit is one bucket per key across all its stages.
        GcraLimiter keyLimiter =
            binding.throttle() != null
                ? limiters.limiter("plan-stage:" + stageScope, binding.throttle(), limiterIds)
                : limiters.limiter("plan:" + plan.planId(), plan.throttle(), limiterIds);
        Map<String, GcraLimiter> methodLimiters = new HashMap<>();
        binding
            .methodThrottles()
            .forEach(
                (methodKey, limit) ->
                    methodLimiters.put(
                        methodKey,
                        limiters.limiter(
                            "plan-method:" + stageScope + ":" + methodKey, limit, limiterIds)));
        QuotaPolicy quota =
            plan.quota() == null
                ? null
                : new QuotaPolicy(
                    plan.quota().limit(),
                    plan.quota().offset(),
                    QuotaPeriod.valueOf(plan.quota().period().name()),
                    // The plan record carries no start date; metering, which knows it, applies the
                    // first period's offset authoritatively through the quota state.
                    Instant.EPOCH);
        bindings.put(
            plan.planId(),
            new PlanBinding(
                plan.planId(),
                keyLimiter,
                Map.copyOf(methodLimiters),
                quota,
                plan.limitScope() == LimitScope.SUBSCRIPTION));
      }
    }
    return Map.copyOf(bindings);
  }

  private static Map<String, KeyRuntime> compileKeys(
      Map<String, KeyRecord> keysByHash, TenantScope tenants) {
    Map<String, KeyRuntime> keys = new HashMap<>(keysByHash.size() * 2);
    keysByHash.forEach(
        (hash, record) -> {
          if (!tenants.serves(record.tenantId())) {
            return;
          }
          keys.put(hash, KeyRuntime.of(record));
        });
    return keys;
  }

  /** For tests and metrics: the limiters currently referenced. */
  public int limiterCount() {
    return lastLimiterIds.size();
  }
}
