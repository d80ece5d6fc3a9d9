package dev.turnpike.gateway.config;

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
import dev.turnpike.contracts.quota.QuotaState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A synthetic SaaS platform as the control plane and metering publish it: {@code tenants} tenants,
 * {@code deployments} stage deployments spread over them (one API with one stage each, {@value
 * #ROUTES} routes), {@value #PLANS_PER_TENANT} plans per tenant each bound to all of the tenant's
 * stages, and {@code keys} keys spread over the tenants, each in one plan and with a quota state.
 *
 * <p>Every record is made from its index on demand, so the benchmark never holds the whole platform
 * outside the gateway's own structures: generating it costs no heap, and a change can be made again
 * for any index.
 */
record SaasPlatform(int tenants, int deployments, int keys) {
  static final int ROUTES = 4;
  static final int PLANS_PER_TENANT = 2;
  static final String STAGE = "prod";
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant MONTH_START = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant MONTH_END = Instant.parse("2027-01-01T00:00:00Z");

  SaasPlatform {
    if (tenants < 1 || deployments < tenants || keys < tenants) {
      throw new IllegalArgumentException(
          "need at least one tenant and one deployment and one key per tenant, got "
              + tenants
              + " tenants, "
              + deployments
              + " deployments, "
              + keys
              + " keys");
    }
  }

  int plans() {
    return tenants * PLANS_PER_TENANT;
  }

  static String tenant(int t) {
    return "tenant-" + t;
  }

  static String tenantSlug(int t) {
    return "t" + t;
  }

  static String plan(int t, int p) {
    return "plan-" + t + "-" + p;
  }

  String deploymentKey(int d) {
    return Topics.deploymentKey(tenant(d % tenants), apiId(d), STAGE);
  }

  static String apiId(int d) {
    return "api-" + d;
  }

  static String apiSlug(int d) {
    return "a" + d;
  }

  /** Deployment {@code d}; a higher {@code revision} is a redeployment with other routes. */
  DeploymentSnapshot deployment(int d, int revision) {
    int t = d % tenants;
    List<RouteConfig> routes = new ArrayList<>(ROUTES);
    for (int r = 0; r < ROUTES; r++) {
      String resource = "/orders" + r + "/{id}";
      routes.add(
          new RouteConfig(
              "route-" + d + "-" + r + "-" + revision,
              r % 2 == 0 ? "GET" : "POST",
              resource,
              true,
              new IntegrationConfig(
                  IntegrationType.HTTP_PROXY,
                  r % 2 == 0 ? "GET" : "POST",
                  "https://backend-" + t + ".example.com/v" + revision + resource,
                  1000,
                  29000,
                  Map.of("integration.request.path.id", "method.request.path.id"),
                  null)));
    }
    return DeploymentSnapshot.builder()
        .tenantId(tenant(t))
        .tenantSlug(tenantSlug(t))
        .apiId(apiId(d))
        .apiSlug(apiSlug(d))
        .stage(STAGE)
        .deploymentId("dep-" + d + "-" + revision)
        .hash("hash-" + d + "-" + revision)
        .deployedAt(NOW)
        .stageThrottle(new ThrottleLimit(1000, 2000))
        .routes(routes)
        .build();
  }

  /** Plan {@code p} of tenant {@code t}, bound to every stage of the tenant. */
  PlanRecord plan(int t, int p, int rate) {
    List<PlanStage> stages = new ArrayList<>();
    for (int d = t; d < deployments; d += tenants) {
      stages.add(new PlanStage(apiId(d), STAGE, null, Map.of()));
    }
    return new PlanRecord(
        1,
        tenant(t),
        plan(t, p),
        p == 0 ? "Basic" : "Pro",
        new ThrottleLimit(rate, rate * 2),
        new QuotaLimit(p == 0 ? 10_000 : 1_000_000, 0, QuotaPeriod.MONTH),
        stages);
  }

  String planKey(int t, int p) {
    return Topics.planKey(tenant(t), plan(t, p));
  }

  static String keyHash(int k) {
    return ApiKeyHash.sha256Hex("tpk_saas_" + k);
  }

  /** Key {@code k}: tenant {@code k % tenants}, two keys per app, alternating plans. */
  KeyRecord key(int k, KeyStatus status) {
    return key(k, keyHash(k), status);
  }

  /** {@link #key(int, KeyStatus)} with its hash already computed (it costs a SHA-256). */
  KeyRecord key(int k, String keyHash, KeyStatus status) {
    int t = k % tenants;
    return new KeyRecord(
        1,
        keyHash,
        "key-" + k,
        keyHash.substring(0, 8),
        tenant(t),
        "app-" + (k / 2),
        List.of(plan(t, keyPlan(k))),
        status,
        null);
  }

  private int keyPlan(int k) {
    return (k / tenants) % PLANS_PER_TENANT;
  }

  String quotaKey(int k) {
    return Topics.quotaKey("key-" + k, plan(k % tenants, keyPlan(k)));
  }

  /** Metering's count for key {@code k} in its plan this month. */
  QuotaState quota(int k, long used) {
    int t = k % tenants;
    int p = keyPlan(k);
    long limit = p == 0 ? 10_000 : 1_000_000;
    return new QuotaState(
        1,
        tenant(t),
        "key-" + k,
        plan(t, p),
        QuotaPeriod.MONTH,
        MONTH_START,
        MONTH_END,
        limit,
        used,
        used >= limit,
        NOW);
  }
}
