package dev.turnpike.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.throttle.DemandReport;
import dev.turnpike.gateway.throttle.DemandShares;
import dev.turnpike.gateway.throttle.GcraLimiter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nodes' registries exchanging demand by hand, as their heartbeats carry it, on a made-up clock:
 * one exchange period is {@link #PERIOD}.
 */
class LimiterRegistryDemandTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long PERIOD = 2 * SECOND;
  private static final ThrottleLimit PLAN = new ThrottleLimit(100, 10);

  /** One node: its registry and its plan's limiter. */
  private record Node(String id, LimiterRegistry registry, GcraLimiter plan) {
    static Node of(String id, int nodeCount, long startNanos) {
      LimiterRegistry registry = new LimiterRegistry(nodeCount);
      registry.sampleDemand(id, startNanos);
      return new Node(id, registry, registry.limiter("plan:p", PLAN, new HashSet<>()));
    }

    /** Requests for {@code key} every {@code everyNanos} over [from, from + PERIOD). */
    int offer(String key, long from, long everyNanos) {
      int admitted = 0;
      for (long t = from; t < from + PERIOD; t += everyNanos) {
        admitted += plan.tryAcquire(key, t) ? 1 : 0;
      }
      return admitted;
    }
  }

  /** Every node samples its demand at {@code nowNanos} and shares by everyone's reports. */
  private static void exchange(List<Node> nodes, long nowNanos) {
    List<DemandReport> reports = new ArrayList<>();
    for (Node node : nodes) {
      reports.add(node.registry().sampleDemand(node.id(), nowNanos));
    }
    for (int i = 0; i < nodes.size(); i++) {
      DemandReport own = reports.get(i);
      nodes
          .get(i)
          .registry()
          .shareByDemand(nodes.size(), own, reports.stream().filter(r -> r != own).toList());
    }
  }

  private static final long T0 = 555_000_000_000L;

  @Test
  void a_key_seen_only_on_one_node_gets_the_whole_limit_there_after_one_exchange() {
    Node a = Node.of("a", 3, T0);
    List<Node> nodes = List.of(a, Node.of("b", 3, T0), Node.of("c", 3, T0));
    // Before any exchange, the even third: 10/3 burst rounds to 3, then 33.3/s.
    assertThat(a.offer("pinned", T0, MILLISECOND)).isBetween(66, 70);

    exchange(nodes, T0 + PERIOD);

    assertThat(a.plan().limitFor("pinned").rateLimit()).isEqualTo(100.0);
    assertThat(a.offer("pinned", T0 + PERIOD, MILLISECOND)).isBetween(199, 201 + 10);
    assertThat(nodes.get(1).plan().limitFor("pinned").rateLimit())
        .isCloseTo(100 * DemandShares.FLOOR / 3, within(1e-9));
  }

  @Test
  void a_key_split_three_to_one_between_two_nodes_is_shared_in_that_ratio() {
    Node a = Node.of("a", 2, T0);
    Node b = Node.of("b", 2, T0);
    a.offer("k", T0, MILLISECOND);
    b.offer("k", T0, 3 * MILLISECOND);

    exchange(List.of(a, b), T0 + PERIOD);

    assertThat(a.plan().limitFor("k").rateLimit()).isCloseTo(75, within(0.1));
    assertThat(b.plan().limitFor("k").rateLimit()).isCloseTo(25, within(0.1));
  }

  @Test
  void keys_nobody_reported_keep_one_nth() {
    Node a = Node.of("a", 2, T0);
    Node b = Node.of("b", 2, T0);
    a.offer("busy", T0, MILLISECOND);

    exchange(List.of(a, b), T0 + PERIOD);

    assertThat(a.plan().limitFor("quiet")).isEqualTo(PLAN.shareFor(2));
    assertThat(b.plan().tryAcquire("new", T0 + PERIOD)).isTrue();
    assertThat(b.plan().limitFor("new")).isEqualTo(PLAN.shareFor(2));
  }

  @Test
  void a_key_first_seen_after_the_exchange_takes_the_floor_where_others_reported_it() {
    Node a = Node.of("a", 2, T0);
    Node b = Node.of("b", 2, T0);
    a.offer("k", T0, MILLISECOND);

    exchange(List.of(a, b), T0 + PERIOD);

    // b has no state for k yet: its first request makes one with the share the exchange gave.
    assertThat(b.offer("k", T0 + PERIOD, MILLISECOND)).isBetween(10, 12);
    assertThat(b.plan().limitFor("k").rateLimit()).isCloseTo(5, within(1e-9));
  }

  @Test
  void shares_resettle_when_a_node_leaves() {
    Node a = Node.of("a", 3, T0);
    Node b = Node.of("b", 3, T0);
    Node c = Node.of("c", 3, T0);
    for (Node node : List.of(a, b, c)) {
      node.offer("k", T0, MILLISECOND);
    }
    exchange(List.of(a, b, c), T0 + PERIOD);
    assertThat(a.plan().limitFor("k").rateLimit()).isCloseTo(100.0 / 3, within(0.1));

    // c is gone: a and b keep the traffic, hear only each other, and count 2.
    a.offer("k", T0 + PERIOD, MILLISECOND);
    b.offer("k", T0 + PERIOD, MILLISECOND);
    exchange(List.of(a, b), T0 + 2 * PERIOD);

    assertThat(a.plan().limitFor("k").rateLimit()).isCloseTo(50, within(0.1));
    assertThat(b.plan().limitFor("k").rateLimit()).isCloseTo(50, within(0.1));
    assertThat(a.registry().nodeCount()).isEqualTo(2);
  }

  @Test
  void a_node_reports_at_most_its_hottest_keys() {
    Node a = Node.of("a", 1, T0);
    for (int i = 0; i < DemandShares.TOP_KEYS + 5; i++) {
      a.plan().tryAcquire("key-" + i, T0);
    }
    a.plan().tryAcquire("key-0", T0);

    DemandReport report = a.registry().sampleDemand("a", T0 + PERIOD);

    assertThat(report.truncated()).isTrue();
    assertThat(report.keyCount()).isEqualTo(DemandShares.TOP_KEYS);
    assertThat(report.rate(LimiterRegistry.limiterId("plan:p", PLAN), "key-0")).isEqualTo(1.0);
    assertThat(report.totalRate()).isEqualTo((DemandShares.TOP_KEYS + 6) / 2.0);
  }
}
