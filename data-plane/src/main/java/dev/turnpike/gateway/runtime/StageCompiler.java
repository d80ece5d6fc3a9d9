package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.AccessLogFormat;
import dev.turnpike.contracts.config.ApiProtocol;
import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.config.WebSocketRouteConfig;
import dev.turnpike.gateway.authorizer.Authorizer;
import dev.turnpike.gateway.authorizer.RouteAuthorizer;
import dev.turnpike.gateway.authorizer.impl.Authorizers;
import dev.turnpike.gateway.cache.ResponseCaches;
import dev.turnpike.gateway.cache.RouteCache;
import dev.turnpike.gateway.cache.StageCache;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.cors.CorsPolicy;
import dev.turnpike.gateway.function.FunctionRoute;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.impl.IntegrationFactory;
import dev.turnpike.gateway.observability.RouteMeterBudget;
import dev.turnpike.gateway.observability.RouteMeters;
import dev.turnpike.gateway.observability.StageMeters;
import dev.turnpike.gateway.quota.QuotaPolicy;
import dev.turnpike.gateway.response.GatewayResponses;
import dev.turnpike.gateway.routing.RouteTable;
import dev.turnpike.gateway.sourceip.SourceAddressRules;
import dev.turnpike.gateway.template.GatewayResponseTemplates;
import dev.turnpike.gateway.throttle.GcraLimiter;
import dev.turnpike.gateway.upstream.StageUpstreams;
import dev.turnpike.gateway.validation.RequestCheck;
import dev.turnpike.gateway.websocket.WebSocketSettings;
import dev.turnpike.gateway.websocket.WebSocketStage;
import dev.turnpike.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one deployed stage for serving: its route tree, integrations, validators, limiters, plan
 * bindings and meters. The limiters it takes from the registry are named in the set it is given, so
 * the caller knows which ones the stage holds. Runs on the config thread.
 */
final class StageCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(StageCompiler.class);

  private final LimiterRegistry limiters;
  private final IntegrationFactory integrations;
  private final Authorizers authorizers;
  private final MeterRegistry meters;
  private final ThrottleLimit accountLimit;
  private final int maxInFlightPerTenant;
  private final ResponseCaches caches;
  private final WebSocketSettings webSockets;
  private final RouteMeterBudget routeMeters;
  // Kept across compiles: a config change must not reset the count of requests in progress.
  private final Map<String, InFlight> inFlightByTenant = new ConcurrentHashMap<>();
  // The deployment each stage last warned about, so a recompile (a plan change) does not repeat it.
  private final Map<String, String> insecureWarned = new ConcurrentHashMap<>();

  StageCompiler(
      LimiterRegistry limiters,
      IntegrationFactory integrations,
      Authorizers authorizers,
      MeterRegistry meters,
      ThrottleLimit accountLimit,
      int maxInFlightPerTenant,
      ResponseCaches caches,
      WebSocketSettings webSockets,
      RouteMeterBudget routeMeters) {
    this.routeMeters = routeMeters;
    this.limiters = limiters;
    this.integrations = integrations;
    this.authorizers = authorizers;
    this.meters = meters;
    this.accountLimit = accountLimit;
    this.maxInFlightPerTenant = maxInFlightPerTenant;
    this.caches = caches;
    this.webSockets = webSockets;
  }

  /**
   * @param plans the tenant's plans (others are skipped); the stage binds those naming it
   * @param limiterIds receives the ids of the limiters the stage holds
   * @throws IllegalArgumentException if the stage cannot be served at all
   */
  StageRuntime compile(
      DeploymentSnapshot deployment, Collection<PlanRecord> plans, Set<String> limiterIds) {
    return compile(deployment, plans, limiterIds, StageUpstreams.NONE);
  }

  /**
   * @param upstreams the pools of the deployment's upstreams, which its integrations may name
   */
  StageRuntime compile(
      DeploymentSnapshot deployment,
      Collection<PlanRecord> plans,
      Set<String> limiterIds,
      StageUpstreams upstreams) {
    return compileSide(deployment, plans, limiterIds, upstreams, false, true);
  }

  /**
   * The canary side of a stage: the canary's deployment with the base's stage settings, holding the
   * same limiters (same scopes) and in-flight count as the base, with meters of its own.
   *
   * @param upstreams the pools of the canary deployment's upstreams
   * @throws IllegalArgumentException if the canary cannot be served (the stage then serves its base
   *     alone)
   */
  StageRuntime compileCanary(
      DeploymentSnapshot base,
      CanaryConfig canary,
      Collection<PlanRecord> plans,
      Set<String> limiterIds,
      StageUpstreams upstreams) {
    DeploymentSnapshot side = canary.deployment();
    if (!side.tenantId().equals(base.tenantId())
        || !side.apiId().equals(base.apiId())
        || !side.stage().equals(base.stage())) {
      throw new IllegalArgumentException("the canary's deployment is not of the same stage");
    }
    // One stage cache per stage: the canary shares the base's settings and flush generation.
    side = side.toBuilder().cache(base.cache()).build();
    return compileSide(side, plans, limiterIds, upstreams, true, canary.useStageCache());
  }

  private StageRuntime compileSide(
      DeploymentSnapshot deployment,
      Collection<PlanRecord> plans,
      Set<String> limiterIds,
      StageUpstreams upstreams,
      boolean isCanary,
      boolean useStageCache) {
    String stageScope = deployment.tenantId() + ":" + deployment.apiId() + ":" + deployment.stage();
    warnIfInsecure(deployment, isCanary ? stageScope + ":canary" : stageScope);
    RouteTable.Builder<RouteRuntime> routes = RouteTable.builder();
    Map<String, Authorizer> built = new HashMap<>();
    // A canary that does not use the stage cache neither reads nor writes it: its routes cache
    // nothing (and it must not ask for the cache, which would set it up for the base's settings).
    StageCache stageCache = useStageCache ? caches.forStage(deployment) : null;
    WebSocketStage webSocket = null;
    if (deployment.protocol() == ApiProtocol.WEBSOCKET) {
      // One bucket per route of the stage, shared by base and canary as a stage's method throttle.
      WebSocketStage.RouteThrottles throttles =
          (routeKey, limit) ->
              limiters.limiter("ws-route:" + stageScope + ":" + routeKey, limit, limiterIds);
      webSocket = WebSocketStage.compile(deployment, integrations, webSockets, throttles);
      addHandshake(deployment, routes, built, throttles);
    }
    int routeIndex = 0;
    for (RouteConfig route : webSocket == null ? deployment.routes() : List.<RouteConfig>of()) {
      String methodKey = route.resourcePath() + "/" + route.method();
      String routeKey = route.method() + " " + route.resourcePath();
      CompiledCheck check = checkOf(deployment, route);
      RouteMeters meters =
          new RouteMeters(
              this.meters,
              deployment.tenantSlug(),
              deployment.apiSlug(),
              deployment.stage(),
              isCanary,
              routeMeters.label(stageScope, routeIndex++, routeKey));
      routes.add(
          route.method(),
          route.resourcePath(),
          new RouteRuntime(
              route.routeId(),
              routeKey,
              methodKey,
              route.apiKeyRequired(),
              check.broken() ? null : integrationOf(deployment, route, upstreams),
              limiters.limiter(
                  "stage-method:" + stageScope + ":" + methodKey,
                  deployment.methodThrottles().get(methodKey),
                  limiterIds),
              check.check(),
              route.method(),
              route.resourcePath(),
              authorizerOf(deployment, route, built),
              cacheOf(deployment, route, stageCache),
              meters));
    }
    return new StageRuntime(
        deployment,
        routes.build(),
        planBindings(deployment, plans, limiterIds),
        limiters.limiter("stage:" + stageScope, deployment.stageThrottle(), limiterIds),
        limiters.limiter("account:" + deployment.tenantId(), accountLimit, limiterIds),
        GatewayResponses.withOverrides(deployment.gatewayResponses()),
        new StageMeters(
            meters, deployment.tenantSlug(), deployment.apiSlug(), deployment.stage(), isCanary),
        inFlightByTenant.computeIfAbsent(
            deployment.tenantId(), tenant -> new InFlight(maxInFlightPerTenant)),
        GatewayResponseTemplates.compile(
            deployment.gatewayResponses(), integrations.renderer(), deployment.deploymentId()),
        // A policy that does not compile fails the whole stage: it is refused, never left open.
        SourceAddressRules.compile(deployment.edge().sourceIpPolicy()),
        ResponseCompression.compile(deployment.edge().compression()),
        deployment.edge().compression() != null
            && deployment.edge().compression().decompressRequests(),
        CorsPolicy.compile(deployment.edge().cors()),
        webSocket,
        null,
        isCanary,
        // Parsed here, once per deployment, so writing a line only walks the parts.
        deployment.accessLogFormat() == null
            ? null
            : AccessLogFormat.parse(deployment.accessLogFormat()),
        deployment.executionLogging());
  }

  /**
   * A WebSocket API's handshake as the one route of its table, {@code GET} on the stage root with
   * {@code $connect}'s key requirement and authorizer, so the request chain admits it as any call
   * (keys, plans, authorizer, throttles, quota) before the gateway upgrades it.
   */
  private void addHandshake(
      DeploymentSnapshot deployment,
      RouteTable.Builder<RouteRuntime> routes,
      Map<String, Authorizer> built,
      WebSocketStage.RouteThrottles throttles) {
    WebSocketRouteConfig connect = deployment.webSocket().route(WebSocketRouteConfig.CONNECT);
    RouteConfig handshake =
        new RouteConfig(
            WebSocketRouteConfig.CONNECT,
            "GET",
            "/",
            connect != null && connect.apiKeyRequired(),
            null,
            null,
            connect == null ? null : connect.authorization());
    routes.add(
        "GET",
        "/",
        new RouteRuntime(
            WebSocketRouteConfig.CONNECT,
            WebSocketRouteConfig.CONNECT,
            "/" + WebSocketRouteConfig.CONNECT,
            handshake.apiKeyRequired(),
            WebSocketStage.HANDSHAKE_ONLY,
            // $connect's own throttle counts handshakes, where a stage's method throttle counts.
            connect == null ? null : throttles.limiter(connect.routeKey(), connect.throttle()),
            null,
            "GET",
            "/",
            authorizerOf(deployment, handshake, built),
            null,
            null));
    // The @connections API: open to the chain (the callback token is checked by the gateway).
    for (String method : List.of("POST", "GET", "DELETE")) {
      routes.add(
          method,
          WebSocketStage.CALLBACK_PATH,
          new RouteRuntime(
              "@connections",
              method + " " + WebSocketStage.CALLBACK_PATH,
              WebSocketStage.CALLBACK_PATH + "/" + method,
              false,
              WebSocketStage.HANDSHAKE_ONLY,
              null,
              null,
              method,
              WebSocketStage.CALLBACK_PATH,
              null,
              null,
              null));
    }
  }

  /**
   * Tells the operator, once per deployment, which routes accept any backend certificate: the owner
   * asked for it, and it is the kind of setting that outlives the test it was made for.
   */
  private void warnIfInsecure(DeploymentSnapshot deployment, String stageScope) {
    List<String> insecure = new ArrayList<>();
    for (RouteConfig route : deployment.routes()) {
      if (route.integration() != null
          && route.integration().tls() != null
          && route.integration().tls().insecureSkipVerification()) {
        insecure.add(route.method() + " " + route.resourcePath());
      }
    }
    if (insecure.isEmpty()
        || deployment
            .deploymentId()
            .equals(insecureWarned.put(stageScope, deployment.deploymentId()))) {
      return;
    }
    LogContext.EMPTY
        .with(LogContext.TENANT, deployment.tenantId())
        .run(
            () ->
                LOG.warn(
                    "tenant {}, api {}, stage {}, deployment {}: routes {} skip TLS verification of"
                        + " their backend (insecureSkipVerification): any certificate for any name"
                        + " is accepted",
                    deployment.tenantSlug(),
                    deployment.apiSlug(),
                    deployment.stage(),
                    deployment.deploymentId(),
                    insecure));
  }

  /** The stage's response cache, which a stage removed from this node no longer needs. */
  void forgetCache(DeploymentSnapshot deployment) {
    caches.forget(deployment);
  }

  /**
   * A cache key parameter that cannot be read leaves its route uncached, never cached too widely.
   */
  private RouteCache cacheOf(DeploymentSnapshot deployment, RouteConfig route, StageCache cache) {
    try {
      return RouteCache.compile(deployment, route, cache, caches.maxEntryBytes());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "route {} {} of deployment {} is not cached until fixed: {}",
          route.method(),
          route.resourcePath(),
          deployment.deploymentId(),
          e.getMessage());
      return null;
    }
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

  private Integration integrationOf(
      DeploymentSnapshot deployment, RouteConfig route, StageUpstreams upstreams) {
    try {
      return integrations.build(
          new IntegrationOwner(
              deployment.tenantId(),
              deployment.tenantSlug(),
              deployment.apiSlug(),
              deployment.stage(),
              route.method() + " " + route.resourcePath()),
          route.integration(),
          FunctionRoute.of(deployment, route),
          upstreams);
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

  /**
   * The route's authorizer with its scopes; each authorizer is built once per deployment and shared
   * by the routes naming it. One that cannot be built (or is not in the deployment) makes its
   * routes answer 500, never serve unauthorized.
   */
  private RouteAuthorizer authorizerOf(
      DeploymentSnapshot deployment, RouteConfig route, Map<String, Authorizer> built) {
    if (route.authorization() == null) {
      return null;
    }
    String id = route.authorization().authorizerId();
    Authorizer authorizer = built.get(id);
    if (authorizer == null) {
      AuthorizerConfig config = id == null ? null : deployment.authorizer(id);
      try {
        if (config == null) {
          throw new IllegalArgumentException("the deployment has no authorizer " + id);
        }
        authorizer =
            authorizers.build(
                deployment,
                new IntegrationOwner(
                    deployment.tenantId(),
                    deployment.tenantSlug(),
                    deployment.apiSlug(),
                    deployment.stage(),
                    "authorizer " + config.name()),
                config);
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "route {} {} of deployment {} answers 500 until its authorizer is fixed: {}",
            route.method(),
            route.resourcePath(),
            deployment.deploymentId(),
            e.getMessage());
        return RouteAuthorizer.misconfigured();
      }
      built.put(id, authorizer);
    }
    return new RouteAuthorizer(authorizer, route.authorization().scopes());
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
                plan.limitScope() == LimitScope.SUBSCRIPTION,
                plan.maxConnectionsPerKey() == null ? 0 : plan.maxConnectionsPerKey()));
      }
    }
    return Map.copyOf(bindings);
  }
}
