package dev.turnpike.gateway.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import dev.turnpike.testkit.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** A node's config arrives through the compacted topics and applies without a restart. */
class GatewayNodeConfigTest extends AbstractGatewayNodeTest {
  @Test
  @Order(1)
  void becomes_ready_and_serves_the_config_published_to_kafka() throws Exception {
    Await.until(Duration.ofSeconds(30), () -> node.ready(), "node.ready()");
    assertThat(admin(node, "/ready")).isEqualTo(200);
    assertThat(admin(node, "/health")).isEqualTo(200);
    var response = get(node, "/acme/pets/prod/pets");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"pets\":[]}");
  }

  @Test
  @Order(2)
  void a_new_route_and_a_revoked_key_apply_without_a_restart() throws Exception {
    publishDeployment("/pets", "/toys");
    long routeMillis =
        Await.until(
            Duration.ofSeconds(10),
            () -> statusIs(node, "/acme/pets/prod/toys", 200),
            "statusIs(node, '/acme/pets/prod/toys', 200)");

    publish(Topics.KEYS, ApiKeyHash.sha256Hex(KEY), KeyRecord.CODEC.encode(key(KeyStatus.REVOKED)));
    long revokeMillis =
        Await.until(
            Duration.ofSeconds(10),
            () -> statusIs(node, "/acme/pets/prod/pets", 403),
            "statusIs(node, '/acme/pets/prod/pets', 403)");

    publish(Topics.KEYS, ApiKeyHash.sha256Hex(KEY), KeyRecord.CODEC.encode(key(KeyStatus.ENABLED)));
    Await.until(
        Duration.ofSeconds(10),
        () -> statusIs(node, "/acme/pets/prod/pets", 200),
        "statusIs(node, '/acme/pets/prod/pets', 200)");
    System.out.printf(
        "config propagation: new route %d ms, key revocation %d ms%n", routeMillis, revokeMillis);
    assertThat(routeMillis).isLessThan(10_000);
  }

  @Test
  @Order(3)
  void an_aws_proxy_route_published_through_kafka_invokes_its_function() throws Exception {
    DeploymentSnapshot withFunction = deployment("/pets", "/toys");
    List<RouteConfig> routes = new ArrayList<>(withFunction.routes());
    routes.add(
        new RouteConfig(
            "r-orders",
            "POST",
            "/orders/{id}",
            true,
            IntegrationConfig.awsProxy(
                new FunctionTarget("orders", function.invokeUrl(), 5_000, "1.0"), 0)));
    publish(
        Topics.DEPLOYMENTS,
        Topics.deploymentKey(TENANT, API, "prod"),
        DeploymentSnapshot.CODEC.encode(NodeTopics.acmePetsProd("dep-fn", routes)));
    HttpRequest order =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/acme/pets/prod/orders/42"))
            .header("x-api-key", KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1}"))
            .build();
    Await.until(
        Duration.ofSeconds(10),
        () -> {
          try {
            return http.send(order, HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
          } catch (Exception e) {
            return false;
          }
        },
        "POST /orders/42 answered by the function");

    HttpResponse<String> response = http.send(order, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"order\":\"42\",\"stage\":\"prod\"}");
    String requestId = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
    Await.until(
        Duration.ofSeconds(10),
        () ->
            kafka.readAll(Topics.USAGE, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                .map(r -> UsageEventDecoder.decode(r.value()))
                .anyMatch(
                    event ->
                        event.eventId().toString().equals(requestId)
                            && event.status() == 201
                            && "POST /orders/{id}".equals(event.routeKey())),
        "the function call's usage event in Kafka");
  }
}
