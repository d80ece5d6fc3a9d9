package dev.turnpike.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.throttle.DemandReport;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NodeDirectoryTest {
  private static final long T0 = 1_700_000_000_000L;

  private final NodeDirectory directory =
      new NodeDirectory("gw-1", Duration.ofMillis(6_000), Map.of());

  private void heard(String nodeId, long at) {
    directory.heard(new Heartbeat(nodeId, nodeId + ":8080", at), at);
  }

  @Test
  void counts_the_nodes_heard_from_within_the_expiry() {
    heard("gw-1", T0);
    heard("gw-2", T0);
    heard("gw-3", T0 + 1_000);

    assertThat(directory.refresh(T0 + 5_999)).isEqualTo(OptionalInt.of(3));
  }

  @Test
  void a_node_not_heard_from_for_the_expiry_is_gone() {
    heard("gw-1", T0);
    heard("gw-2", T0);
    heard("gw-1", T0 + 4_000);

    assertThat(directory.refresh(T0 + 6_000)).isEqualTo(OptionalInt.of(1));
    assertThat(directory.peers()).isEmpty();
  }

  @Test
  void a_tombstone_removes_a_node_at_once() {
    heard("gw-1", T0);
    heard("gw-2", T0);

    directory.left("gw-2");

    assertThat(directory.refresh(T0 + 1)).isEqualTo(OptionalInt.of(1));
  }

  @Test
  void knows_no_count_while_its_own_heartbeat_is_missing() {
    heard("gw-1", T0);
    heard("gw-2", T0 + 5_000);

    // Its own heartbeats stopped coming back: Kafka is away, so the count is not known.
    assertThat(directory.refresh(T0 + 6_000)).isEmpty();
  }

  @Test
  void an_old_record_read_back_at_start_does_not_make_a_node_alive() {
    heard("gw-1", T0);
    directory.heard(new Heartbeat("gw-9", "gw-9:8080", T0 - 60_000), T0);

    assertThat(directory.refresh(T0)).isEqualTo(OptionalInt.of(1));
  }

  /** What tells the membership thread to re-share at once, before its own next heartbeat. */
  @Test
  void a_heartbeat_is_news_when_it_changes_another_nodes_demand() {
    DemandReport quiet = DemandReport.none("gw-2");
    DemandReport busy =
        new DemandReport("gw-2", false, 50, Map.of("plan@100/10", Map.of("k", 50.0)));

    assertThat(directory.heard(new Heartbeat("gw-2", "a:1", T0, quiet), T0))
        .as("a node first heard from")
        .isTrue();
    assertThat(directory.heard(new Heartbeat("gw-2", "a:1", T0 + 2_000, quiet), T0 + 2_000))
        .as("the same demand again")
        .isFalse();
    assertThat(directory.heard(new Heartbeat("gw-2", "a:1", T0 + 4_000, busy), T0 + 4_000))
        .as("new demand")
        .isTrue();
    assertThat(
            directory.heard(
                new Heartbeat("gw-1", "self:1", T0, DemandReport.none("gw-1")), T0 + 4_000))
        .as("this node's own heartbeat")
        .isFalse();
    assertThat(directory.heard(new Heartbeat("gw-3", "b:1", T0 - 60_000, busy), T0))
        .as("a record older than the expiry")
        .isFalse();
  }

  @Test
  void peers_are_the_other_live_nodes_and_the_operators_list() {
    NodeDirectory withStatic =
        new NodeDirectory(
            "gw-1", Duration.ofMillis(6_000), Map.of("gw-0", "10.0.0.1:8080", "gw-2", "fixed:80"));
    Map<String, String> peers = withStatic.peers();
    withStatic.heard(new Heartbeat("gw-1", "self:8080", T0), T0);
    withStatic.heard(new Heartbeat("gw-2", "10.0.0.2:8080", T0), T0);
    withStatic.heard(new Heartbeat("gw-3", "10.0.0.3:8080", T0), T0);

    withStatic.refresh(T0);

    // The view follows the directory; the operator's address wins over a heartbeat's.
    assertThat(peers)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("gw-0", "10.0.0.1:8080", "gw-2", "fixed:80", "gw-3", "10.0.0.3:8080"));
  }

  @Test
  void reads_back_what_it_writes_and_skips_what_is_not_a_heartbeat() {
    Heartbeat heartbeat = new Heartbeat("gw-2", "10.0.0.2:8080", T0);

    assertThat(Heartbeat.fromJson("gw-2", heartbeat.toJson())).isEqualTo(heartbeat);
    assertThat(Heartbeat.fromJson("gw-3", heartbeat.toJson())).isNull();
    assertThat(Heartbeat.fromJson("gw-2", "not json".getBytes())).isNull();
    assertThat(Heartbeat.fromJson("gw-2", "{\"nodeId\":\"gw-2\"}".getBytes())).isNull();
  }
}
