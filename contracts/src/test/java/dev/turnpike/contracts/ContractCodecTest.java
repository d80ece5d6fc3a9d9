package dev.turnpike.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.PlanStage;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.RequestValidation;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.json.ContractDecodingException;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ContractCodecTest {
  static final Instant NOW = Instant.parse("2026-11-21T10:15:30Z");

  static UsageEvent usageEvent() {
    return UsageEvent.builder()
        .eventId(UUID.fromString("6f1c2a52-3b7e-4d59-9a0e-0f7d1c1e2b3a"))
        .tenantId("t-1")
        .apiId("api-1")
        .stage("prod")
        .routeKey("GET /pets/{petId}")
        .keyId("key-1")
        .appId("app-1")
        .planId("plan-1")
        .status(200)
        .outcome(Outcome.SERVED)
        .latencyMicros(1234)
        .bytesIn(10)
        .bytesOut(512)
        .timestamp(NOW)
        .nodeId("node-a")
        .build();
  }

  static DeploymentSnapshot snapshot() {
    var proxy =
        new IntegrationConfig(
            IntegrationType.HTTP_PROXY,
            "ANY",
            "http://backend:8080/{proxy}",
            1000,
            29000,
            Map.of("integration.request.header.x-user", "method.request.querystring.user"),
            null);
    var mock =
        new IntegrationConfig(
            IntegrationType.MOCK,
            null,
            null,
            0,
            0,
            null,
            new MockResponse(200, Map.of("content-type", "application/json"), "{\"ok\":true}"));
    var function =
        IntegrationConfig.awsProxy(
            new FunctionTarget("orders:live", "http://fn.internal:9000", 3000, "2.0"), 5000);
    return DeploymentSnapshot.builder()
        .tenantId("t-1")
        .tenantSlug("acme")
        .apiId("api-1")
        .apiSlug("pets")
        .stage("prod")
        .deploymentId("dep-1")
        .hash("abc123")
        .deployedAt(NOW)
        .stageVariables(Map.of("backend", "backend.internal"))
        .stageThrottle(new ThrottleLimit(100.5, 200))
        .methodThrottles(Map.of("/pets/GET", new ThrottleLimit(10, 20)))
        .accessLogFields(List.of("requestId", "status"))
        .routes(
            List.of(
                new RouteConfig("r-1", "ANY", "/{proxy+}", true, proxy),
                new RouteConfig("r-2", "GET", "/health", false, mock),
                new RouteConfig(
                    "r-3",
                    "POST",
                    "/pets",
                    true,
                    proxy,
                    new RequestValidation(
                        List.of("method.request.header.x-tenant"),
                        JsonNodeFactory.instance
                            .objectNode()
                            .put("type", "object")
                            .set("required", JsonNodeFactory.instance.arrayNode().add("name")))),
                new RouteConfig("r-4", "POST", "/orders", false, function)))
        .gatewayResponses(
            Map.of("THROTTLED", new GatewayResponseConfig(429, Map.of("retry-after", "1"), null)))
        .binaryMediaTypes(List.of("image/png"))
        .build();
  }

  @Nested
  class RoundTrip {
    @Test
    void usage_event_survives_encode_and_decode() {
      UsageEvent event = usageEvent();
      assertThat(UsageEvent.CODEC.decode(UsageEvent.CODEC.encode(event))).isEqualTo(event);
    }

    @Test
    void deployment_snapshot_survives_encode_and_decode() {
      DeploymentSnapshot snapshot = snapshot();
      assertThat(DeploymentSnapshot.CODEC.decode(DeploymentSnapshot.CODEC.encode(snapshot)))
          .isEqualTo(snapshot);
    }

    @Test
    void key_record_survives_encode_and_decode() {
      KeyRecord key =
          new KeyRecord(
              1,
              "ab".repeat(32),
              "key-1",
              "tpk_ab12",
              "t-1",
              "app-1",
              List.of("plan-1"),
              KeyStatus.ENABLED,
              NOW.plusSeconds(3600));
      assertThat(KeyRecord.CODEC.decode(KeyRecord.CODEC.encode(key))).isEqualTo(key);
    }

    @Test
    void plan_record_survives_encode_and_decode() {
      PlanRecord plan =
          new PlanRecord(
              1,
              "t-1",
              "plan-1",
              "Gold",
              new ThrottleLimit(50, 100),
              new QuotaLimit(10_000, 100, QuotaPeriod.MONTH),
              List.of(
                  new PlanStage(
                      "api-1", "prod", null, Map.of("/pets/POST", new ThrottleLimit(1, 1)))));
      assertThat(PlanRecord.CODEC.decode(PlanRecord.CODEC.encode(plan))).isEqualTo(plan);
    }

    @Test
    void a_plans_limit_scope_survives_and_a_plan_written_without_one_counts_per_key() {
      PlanRecord perSubscription =
          new PlanRecord(
              1,
              "t-1",
              "plan-2",
              "Team",
              new ThrottleLimit(5, 10),
              null,
              List.of(new PlanStage("api-1", "prod", null, Map.of())),
              LimitScope.SUBSCRIPTION);
      assertThat(PlanRecord.CODEC.decode(PlanRecord.CODEC.encode(perSubscription)))
          .isEqualTo(perSubscription);

      PlanRecord older =
          PlanRecord.CODEC.decode(
              "{\"schemaVersion\":1,\"tenantId\":\"t-1\",\"planId\":\"p\",\"name\":\"Old\"}"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(older.limitScope()).isEqualTo(LimitScope.KEY);
      assertThat(LimitScope.SUBSCRIPTION.subject("key-1", "app-1")).isEqualTo("app:app-1");
      assertThat(LimitScope.KEY.subject("key-1", "app-1")).isEqualTo("key-1");
    }

    @Test
    void quota_state_survives_encode_and_decode() {
      QuotaState state =
          new QuotaState(
              1,
              "t-1",
              "key-1",
              "plan-1",
              QuotaPeriod.DAY,
              NOW,
              NOW.plusSeconds(86400),
              100,
              101,
              true,
              NOW);
      assertThat(QuotaState.CODEC.decode(QuotaState.CODEC.encode(state))).isEqualTo(state);
      assertThat(state.remaining()).isZero();
    }

    @Test
    void instants_are_written_as_iso_text_and_integration_types_in_lower_case() {
      String json = DeploymentSnapshot.CODEC.encodeToString(snapshot());
      assertThat(json).contains("\"deployedAt\":\"2026-11-21T10:15:30Z\"");
      assertThat(json).contains("\"type\":\"http_proxy\"").contains("\"type\":\"mock\"");
    }

    @Test
    void a_function_integration_is_written_as_aws_proxy_with_its_target() {
      String json = DeploymentSnapshot.CODEC.encodeToString(snapshot());
      assertThat(json)
          .contains("\"type\":\"aws_proxy\"")
          .contains(
              "\"function\":{\"name\":\"orders:live\",\"invokeUrl\":\"http://fn.internal:9000\","
                  + "\"timeoutMillis\":3000,\"payloadFormatVersion\":\"2.0\"}");
    }

    @Test
    void a_function_target_written_without_a_payload_format_reads_as_1_0() {
      String json =
          "{\"schemaVersion\":1,\"routes\":[{\"routeId\":\"r\",\"method\":\"GET\","
              + "\"resourcePath\":\"/\",\"integration\":{\"type\":\"aws_proxy\","
              + "\"function\":{\"name\":\"f\",\"invokeUrl\":\"http://h:1\"}}}]}";
      IntegrationConfig integration =
          DeploymentSnapshot.CODEC
              .decode(json.getBytes(StandardCharsets.UTF_8))
              .routes()
              .getFirst()
              .integration();
      assertThat(integration.type()).isEqualTo(IntegrationType.AWS_PROXY);
      assertThat(integration.function())
          .isEqualTo(new FunctionTarget("f", "http://h:1", 0, FunctionTarget.PAYLOAD_1_0));
    }
  }

  @Nested
  class Tolerance {
    @Test
    void unknown_fields_are_ignored() {
      String json =
          UsageEvent.CODEC
              .encodeToString(usageEvent())
              .replaceFirst("\\{", "{\"addedLater\":{\"nested\":[1,2]},\"other\":7,");
      assertThat(UsageEvent.CODEC.decode(json.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(usageEvent());
    }

    @Test
    void unknown_enum_values_read_as_unknown_so_gateways_fail_closed() {
      String json = "{\"schemaVersion\":1,\"keyHash\":\"h\",\"keyId\":\"k\",\"status\":\"FROZEN\"}";
      KeyRecord key = KeyRecord.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
      assertThat(key.status()).isEqualTo(KeyStatus.UNKNOWN);
      assertThat(key.usableAt(NOW)).isFalse();
    }

    @Test
    void missing_collections_read_as_empty() {
      String json = "{\"schemaVersion\":1,\"tenantId\":\"t\",\"stage\":\"prod\"}";
      DeploymentSnapshot snapshot =
          DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
      assertThat(snapshot.routes()).isEmpty();
      assertThat(snapshot.stageVariables()).isEmpty();
    }

    @Test
    void a_newer_schema_version_is_refused_rather_than_misread() {
      String json = "{\"schemaVersion\":2,\"keyHash\":\"h\"}";
      assertThatThrownBy(() -> KeyRecord.CODEC.decode(json.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ContractDecodingException.class)
          .hasMessageContaining("schemaVersion 2 is not supported");
    }

    @Test
    void a_record_without_schema_version_is_refused() {
      assertThatThrownBy(
              () -> KeyRecord.CODEC.decode("{\"keyHash\":\"h\"}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ContractDecodingException.class);
    }

    @Test
    void malformed_json_and_tombstones_are_refused_with_a_clear_message() {
      assertThatThrownBy(
              () -> UsageEvent.CODEC.decode("{not json".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ContractDecodingException.class)
          .hasMessageContaining("UsageEvent is not valid JSON");
      assertThatThrownBy(() -> UsageEvent.CODEC.decode(null))
          .isInstanceOf(ContractDecodingException.class)
          .hasMessageContaining("tombstone");
    }
  }

  @Nested
  class Validation {
    @Test
    void quota_offset_beyond_limit_is_rejected() {
      assertThatThrownBy(() -> new QuotaLimit(10, 11, QuotaPeriod.DAY))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("offset");
    }

    @Test
    void negative_throttle_is_rejected() {
      assertThatThrownBy(() -> new ThrottleLimit(-1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Throttle rate must be a finite number >= 0");
    }

    @Test
    void expired_and_revoked_keys_are_not_usable() {
      KeyRecord expired =
          new KeyRecord(1, "h", "k", "p", "t", "a", List.of(), KeyStatus.ENABLED, NOW);
      KeyRecord revoked =
          new KeyRecord(1, "h", "k", "p", "t", "a", List.of(), KeyStatus.REVOKED, null);
      assertThat(expired.usableAt(NOW)).isFalse();
      assertThat(expired.usableAt(NOW.minusMillis(1))).isTrue();
      assertThat(revoked.usableAt(NOW)).isFalse();
    }
  }
}
