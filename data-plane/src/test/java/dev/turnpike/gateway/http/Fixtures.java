package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Contract records for gateway tests: tenant "acme" with API "pets" on stage "prod". */
final class Fixtures {
  static final String TENANT_ID = "t-acme";
  static final String OTHER_TENANT_ID = "t-globex";
  static final String API_ID = "api-pets";

  private Fixtures() {}

  static IntegrationConfig proxy(String uri) {
    return new IntegrationConfig(
        IntegrationType.HTTP_PROXY, "ANY", uri, 1000, 29_000, Map.of(), null);
  }

  static IntegrationConfig proxy(String uri, int timeoutMillis) {
    return new IntegrationConfig(
        IntegrationType.HTTP_PROXY, "ANY", uri, 500, timeoutMillis, Map.of(), null);
  }

  static IntegrationConfig http(String method, String uri, Map<String, String> mappings) {
    return new IntegrationConfig(IntegrationType.HTTP, method, uri, 1000, 29_000, mappings, null);
  }

  static IntegrationConfig mock(int status, String body) {
    return new IntegrationConfig(
        IntegrationType.MOCK,
        null,
        null,
        0,
        0,
        null,
        new MockResponse(status, Map.of("x-mock", "yes"), body));
  }

  static RouteConfig route(
      String method, String path, boolean keyRequired, IntegrationConfig integration) {
    return new RouteConfig("r-" + method + path, method, path, keyRequired, integration);
  }

  /**
   * A snapshot of acme's pets API on {@code stage}, deployed now as {@code dep-<stage>}, for a test
   * to add its routes and settings to.
   */
  static DeploymentSnapshot.Builder snapshot(String stage) {
    return DeploymentSnapshot.builder()
        .tenantId(TENANT_ID)
        .tenantSlug("acme")
        .apiId(API_ID)
        .apiSlug("pets")
        .stage(stage)
        .deploymentId("dep-" + stage)
        .hash("0".repeat(64))
        .deployedAt(Instant.now());
  }

  static DeploymentSnapshot deployment(String stage, List<RouteConfig> routes) {
    return deployment(stage, routes, Map.of(), null, Map.of(), Map.of());
  }

  static DeploymentSnapshot deployment(
      String stage,
      List<RouteConfig> routes,
      Map<String, String> stageVariables,
      ThrottleLimit stageThrottle,
      Map<String, ThrottleLimit> methodThrottles,
      Map<String, GatewayResponseConfig> gatewayResponses) {
    return snapshot(stage)
        .stageVariables(stageVariables)
        .stageThrottle(stageThrottle)
        .methodThrottles(methodThrottles)
        .routes(routes)
        .gatewayResponses(gatewayResponses)
        .build();
  }

  static KeyRecord key(
      String plainKey, String keyId, String tenantId, KeyStatus status, List<String> plans) {
    return new KeyRecord(
        1,
        ApiKeyHash.sha256Hex(plainKey),
        keyId,
        plainKey.substring(0, 8),
        tenantId,
        "app-1",
        plans,
        status,
        null);
  }

  static PlanRecord plan(
      String planId, ThrottleLimit throttle, QuotaLimit quota, String... stages) {
    return new PlanRecord(
        1,
        TENANT_ID,
        planId,
        planId,
        throttle,
        quota,
        java.util.Arrays.stream(stages)
            .map(s -> new PlanStage(API_ID, s, null, Map.of()))
            .toList());
  }

  static QuotaLimit dailyQuota(long limit) {
    return new QuotaLimit(limit, 0, QuotaPeriod.DAY);
  }
}
