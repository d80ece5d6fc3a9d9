package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function an aws_proxy route invokes travels in the deployment record, and only there. */
class FunctionTargetCodecTest {
  static DeploymentSnapshot snapshot(IntegrationConfig integration) {
    return DeploymentSnapshot.builder()
        .tenantId("t-1")
        .tenantSlug("acme")
        .apiId("api-1")
        .apiSlug("orders")
        .stage("prod")
        .deploymentId("dep-1")
        .hash("abc123")
        .deployedAt(Instant.parse("2026-12-06T00:00:00Z"))
        .routes(List.of(new RouteConfig("r-1", "GET", "/orders", false, integration)))
        .build();
  }

  @Test
  void an_aws_proxy_route_carries_its_resolved_function_through_the_codec() {
    IntegrationConfig integration =
        IntegrationConfig.awsProxy(
            "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                + "arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations",
            10_000,
            29_000,
            new FunctionTarget("orders", "http://orders.internal:9000", 5000, "2.0"));
    DeploymentSnapshot snapshot = snapshot(integration);

    String json = DeploymentSnapshot.CODEC.encodeToString(snapshot);

    assertThat(json)
        .contains("\"type\":\"aws_proxy\"")
        .contains(
            "\"function\":{\"name\":\"orders\",\"invokeUrl\":\"http://orders.internal:9000\","
                + "\"timeoutMillis\":5000,\"payloadFormatVersion\":\"2.0\"}");
    assertThat(DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(snapshot);
  }

  @Test
  void other_integrations_are_written_as_before_without_a_function_member() {
    IntegrationConfig proxy =
        new IntegrationConfig(
            IntegrationType.HTTP_PROXY, "ANY", "http://b:8080", 1000, 29_000, Map.of(), null);
    assertThat(DeploymentSnapshot.CODEC.encodeToString(snapshot(proxy))).doesNotContain("function");
  }

  @Test
  void a_payload_version_left_out_is_the_rest_api_event() {
    assertThat(new FunctionTarget("orders", "http://o:1", 50, null).payloadFormatVersion())
        .isEqualTo(FunctionTarget.PAYLOAD_1_0);
  }
}
