package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketSnapshotCodecTest {
  static DeploymentSnapshot httpSnapshot() {
    return DeploymentSnapshot.builder()
        .tenantId("t-1")
        .tenantSlug("acme")
        .apiId("a-1")
        .apiSlug("chat")
        .stage("prod")
        .deploymentId("d-1")
        .hash("h")
        .deployedAt(Instant.parse("2026-12-01T00:00:00Z"))
        .build();
  }

  @Test
  void an_http_snapshot_is_written_without_a_webSocket_field_and_reads_as_http() {
    String json = DeploymentSnapshot.CODEC.encodeToString(httpSnapshot());
    assertThat(json).doesNotContain("webSocket").doesNotContain("protocol");
    DeploymentSnapshot read =
        DeploymentSnapshot.CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(read.protocol()).isEqualTo(ApiProtocol.HTTP);
    assertThat(read.webSocket()).isNull();
  }

  @Test
  void a_websocket_snapshot_round_trips_with_its_routes() {
    var mock = new IntegrationConfig(IntegrationType.MOCK, null, null, 0, 0, Map.of(), null);
    var routes =
        new WebSocketApiConfig(
            "$request.body.action",
            List.of(
                new WebSocketRouteConfig(
                    WebSocketRouteConfig.CONNECT,
                    true,
                    new RouteAuthorization("auth-1", List.of()),
                    null,
                    false),
                new WebSocketRouteConfig("send", false, null, mock, true)));
    DeploymentSnapshot snapshot = httpSnapshot().toBuilder().webSocket(routes).build();
    DeploymentSnapshot read =
        DeploymentSnapshot.CODEC.decode(DeploymentSnapshot.CODEC.encode(snapshot));
    assertThat(read).isEqualTo(snapshot);
    assertThat(read.protocol()).isEqualTo(ApiProtocol.WEBSOCKET);
    assertThat(read.webSocket().route("send").twoWay()).isTrue();
    assertThat(read.webSocket().route("$connect").apiKeyRequired()).isTrue();
  }

  @Test
  void a_missing_selection_expression_reads_as_api_gateways_usual_one() {
    assertThat(new WebSocketApiConfig(null, null).routeSelectionExpression())
        .isEqualTo("$request.body.action");
  }
}
