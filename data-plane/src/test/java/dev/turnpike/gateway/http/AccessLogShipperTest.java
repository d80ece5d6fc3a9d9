package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.FormattedAccessLogTest.stageWithFormat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.kafka.KafkaBroker;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Owner-formatted access-log lines shipped to the tenant's own Kafka topic. */
class AccessLogShipperTest {
  @Test
  void a_formatted_line_reaches_the_tenants_topic_as_written_to_stdout() throws Exception {
    String format = "{\"requestId\":\"$context.requestId\",\"status\":\"$context.status\"}";
    try (KafkaBroker broker = KafkaBroker.start();
        GatewayRig rig = GatewayRig.builder().start()) {
      broker.createTopic("turnpike.access.acme", 1, false);
      try (AccessLogShipper shipper =
          new AccessLogShipper(
              "turnpike.access", broker.bootstrapServers(), Map.of(), "node-a", 1_000)) {
        rig.accessLog.shipTo(shipper);
        rig.load(List.of(stageWithFormat(format)), List.of(), List.of());

        var answer = rig.get("/acme/pets/prod/hi", Map.of());

        var records = broker.readAll("turnpike.access.acme", 1, Duration.ofSeconds(30));
        assertThat(records).hasSize(1);
        String shipped = new String(records.getFirst().value(), StandardCharsets.UTF_8);
        assertThat(new JsonObject(shipped).getString("requestId"))
            .isEqualTo(answer.headers().get(GatewayRequestHandler.REQUEST_ID_HEADER));
        assertThat(FormattedAccessLogTest.lines(rig, 1)).containsExactly(shipped);
        assertThat(shipper.dropped()).isZero();
      }
    }
  }

  @Test
  void a_full_queue_drops_and_counts_lines_without_waiting_for_kafka() {
    // No broker listens here: the sender thread waits on the producer, so the queue fills.
    try (AccessLogShipper shipper =
        new AccessLogShipper("turnpike.access", "127.0.0.1:1", Map.of(), "node-a", 2)) {
      long started = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        shipper.offer("acme", "line " + i);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(shipper.dropped()).isGreaterThanOrEqualTo(90);
    }
  }
}
