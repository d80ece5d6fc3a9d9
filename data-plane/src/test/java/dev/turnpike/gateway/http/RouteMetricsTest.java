package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.proxy;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.testkit.Await;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** API Gateway's per-method metrics: count, 4xx/5xx, latency and integration latency per route. */
class RouteMetricsTest {
  @Test
  void each_route_counts_its_requests_by_status_class_and_times_its_integration() throws Exception {
    try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
      HttpServer backend =
          GatewayRig.await(
              rig.vertx
                  .createHttpServer()
                  .requestHandler(request -> request.response().end("backend"))
                  .listen(0, "127.0.0.1"));
      String backendUrl = "http://127.0.0.1:" + backend.actualPort();
      DeploymentSnapshot prod =
          deployment(
              "prod",
              List.of(
                  route("GET", "/pets", false, proxy(backendUrl + "/pets")),
                  route("GET", "/broken", false, mock(503, "{}"))));
      rig.load(List.of(prod), List.of(), List.of());

      assertThat(rig.get("/acme/pets/prod/pets", Map.of()).status()).isEqualTo(200);
      assertThat(rig.get("/acme/pets/prod/pets", Map.of()).status()).isEqualTo(200);
      assertThat(rig.get("/acme/pets/prod/broken", Map.of()).status()).isEqualTo(503);

      // Meters are recorded as the exchange finishes, which may be just after the client has read
      // the answer.
      Await.until(
          Duration.ofSeconds(10),
          () -> requests(rig, "GET /pets", "2xx") == 2 && requests(rig, "GET /broken", "5xx") == 1,
          () -> "three requests counted per route");
      assertThat(requests(rig, "GET /pets", "5xx")).isZero();
      assertThat(requests(rig, "GET /broken", "5xx")).isEqualTo(1);
      Timer integration = timer(rig, "turnpike.gateway.route.integration.latency", "GET /pets");
      assertThat(integration.count()).isEqualTo(2);
      assertThat(integration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(timer(rig, "turnpike.gateway.route.latency", "GET /broken").count()).isEqualTo(1);
    }
  }

  @Test
  void a_request_no_route_matches_counts_for_the_stage_only() throws Exception {
    try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
      rig.load(
          List.of(deployment("prod", List.of(route("GET", "/pets", false, mock(200, "{}"))))),
          List.of(),
          List.of());

      // API Gateway answers 403 Missing Authentication Token to a path no route matches.
      assertThat(rig.get("/acme/pets/prod/nothing-here", Map.of()).status()).isEqualTo(403);

      Await.until(
          Duration.ofSeconds(10),
          () -> stageRequests(rig, "4xx") == 1,
          () -> "the stage counted the request");
      assertThat(rig.meters.find("turnpike.gateway.route.requests").counters())
          .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }
  }

  private static double requests(GatewayRig rig, String route, String statusClass) {
    Counter counter =
        rig.meters
            .find("turnpike.gateway.route.requests")
            .tag("route", route)
            .tag("status", statusClass)
            .counter();
    return counter == null ? -1 : counter.count();
  }

  private static double stageRequests(GatewayRig rig, String statusClass) {
    Counter counter =
        rig.meters.find("turnpike.gateway.requests").tag("status", statusClass).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Timer timer(GatewayRig rig, String name, String route) {
    Timer timer = rig.meters.find(name).tag("route", route).timer();
    assertThat(timer).as("%s of %s", name, route).isNotNull();
    return timer;
  }
}
