package dev.turnpike.gateway.config;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Contract records as the control plane and metering would publish them. */
final class ConfigFixtures {
  static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");

  private ConfigFixtures() {}

  /** Topic names no other test uses, so tests can share one broker. */
  static ConfigTopics uniqueTopics() {
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return new ConfigTopics(
        prefix + "deployments",
        prefix + "keys",
        prefix + "plans",
        prefix + "quota-state",
        prefix + "domains");
  }

  static DeploymentSnapshot deployment(String tenant, String api, String stage, String id) {
    IntegrationConfig backend =
        new IntegrationConfig(
            IntegrationType.HTTP_PROXY,
            "ANY",
            "http://backend.internal/{proxy}",
            1000,
            29000,
            Map.of(),
            null);
    return DeploymentSnapshot.builder()
        .tenantId(tenant)
        .tenantSlug(tenant + "-slug")
        .apiId(api)
        .apiSlug(api + "-slug")
        .stage(stage)
        .deploymentId(id)
        .hash("hash-" + id)
        .deployedAt(NOW)
        .stageVariables(Map.of("backend", "backend.internal"))
        .stageThrottle(new ThrottleLimit(100, 200))
        .routes(List.of(new RouteConfig("r-" + id, "ANY", "/{proxy+}", true, backend)))
        .build();
  }

  static KeyRecord key(String apiKey, String keyId, KeyStatus status) {
    return new KeyRecord(
        1,
        ApiKeyHash.sha256Hex(apiKey),
        keyId,
        apiKey.substring(0, Math.min(8, apiKey.length())),
        "t-1",
        "app-1",
        List.of("plan-1"),
        status,
        null);
  }

  static PlanRecord plan(String tenant, String planId, String name) {
    return new PlanRecord(
        1,
        tenant,
        planId,
        name,
        new ThrottleLimit(50, 100),
        new QuotaLimit(10_000, 0, QuotaPeriod.MONTH),
        List.of(new PlanStage("api-1", "prod", null, Map.of())));
  }

  static QuotaState quota(String tenant, String keyId, String planId, long used) {
    return new QuotaState(
        1,
        tenant,
        keyId,
        planId,
        QuotaPeriod.MONTH,
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-02-01T00:00:00Z"),
        10_000,
        used,
        used >= 10_000,
        NOW);
  }
}
