package dev.turnpike.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.throttle.DemandReport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

  @Test
  void a_heartbeat_carries_its_nodes_demand_there_and_back() {
    DemandReport demand =
        new DemandReport(
            "gw-1",
            true,
            1234.5,
            Map.of("plan:p@100.0/10", Map.of("key-1", 250.25, "app:a1", 3.0)));
    Heartbeat sent = new Heartbeat("gw-1", "10.0.0.1:8080", 42L, demand);

    Heartbeat read = Heartbeat.fromJson("gw-1", sent.toJson());

    assertThat(read).isEqualTo(sent);
  }

  @Test
  void a_heartbeat_without_demand_reports_none() {
    byte[] json =
        "{\"nodeId\":\"gw-2\",\"address\":\"10.0.0.2:8080\",\"sentAt\":7}"
            .getBytes(StandardCharsets.UTF_8);

    Heartbeat read = Heartbeat.fromJson("gw-2", json);

    assertThat(read.demand()).isEqualTo(DemandReport.none("gw-2"));
    assertThat(read.address()).isEqualTo("10.0.0.2:8080");
  }

  @Test
  void an_unreadable_demand_counts_as_none_and_keeps_the_heartbeat() {
    byte[] json =
        ("{\"nodeId\":\"gw-3\",\"address\":\"h:1\",\"sentAt\":7,"
                + "\"demand\":{\"limiters\":{\"plan:p@1.0/1\":{\"k\":\"many\"}}}}")
            .getBytes(StandardCharsets.UTF_8);

    Heartbeat read = Heartbeat.fromJson("gw-3", json);

    assertThat(read).isNotNull();
    assertThat(read.demand()).isEqualTo(DemandReport.none("gw-3"));
  }
}
