package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.testkit.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void a_stage_with_its_own_fields_logs_those_and_other_stages_the_nodes() throws Exception {
    try (GatewayRig rig = GatewayRig.builder().maxBodyBytes(1024).start()) {
      DeploymentSnapshot prod =
          deployment("prod", List.of(route("GET", "/hi", false, mock(200, "{}"))));
      DeploymentSnapshot beta =
          withAccessLogFields(
              deployment("beta", prod.routes()), List.of("stage", "status", "noSuchField"));
      rig.load(List.of(prod, beta), List.of(), List.of());

      assertThat(rig.get("/acme/pets/prod/hi", Map.of()).status()).isEqualTo(200);
      assertThat(rig.get("/acme/pets/beta/hi", Map.of()).status()).isEqualTo(200);

      Await.until(
          Duration.ofSeconds(10),
          () -> lines(rig).size() == 2,
          () -> "two access-log lines, have: " + rig.accessLogOut);
      List<JsonObject> lines = lines(rig);
      JsonObject prodLine =
          lines.stream().filter(l -> l.containsKey("route")).findFirst().orElseThrow();
      assertThat(prodLine.fieldNames())
          .containsExactlyInAnyOrder("requestId", "tenant", "route", "status", "outcome");
      JsonObject betaLine =
          lines.stream().filter(l -> !l.containsKey("route")).findFirst().orElseThrow();
      assertThat(betaLine.getMap()).isEqualTo(Map.of("stage", "beta", "status", 200));
    }
  }

  static List<JsonObject> lines(GatewayRig rig) {
    return Arrays.stream(rig.accessLogOut.toString().split("\n"))
        .filter(l -> !l.isBlank())
        .map(JsonObject::new)
        .toList();
  }

  static DeploymentSnapshot withAccessLogFields(DeploymentSnapshot d, List<String> fields) {
    return d.toBuilder().accessLogFields(fields).build();
  }
}
