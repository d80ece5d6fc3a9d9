package dev.turnpike.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Picking targets: weights, availability and the targets a request already tried. */
class UpstreamPoolTest {
  static UpstreamPool pool(UpstreamBalancing balancing, int... weights) {
    List<UpstreamTarget> targets = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      targets.add(new UpstreamTarget("http://10.0.0." + (i + 1) + ":8080", weights[i]));
    }
    return new UpstreamPool(
        new UpstreamConfig("p", balancing, targets, null),
        null,
        null,
        null,
        new UpstreamSettings(2, 60_000, 0.2, 5, 10),
        System::nanoTime);
  }

  static Map<String, Integer> picks(UpstreamPool pool, int times) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < times; i++) {
      counts.merge(pool.pick(List.of()).host(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void round_robin_honours_weights_within_one_percent_over_10000_requests() {
    Map<String, Integer> counts = picks(pool(UpstreamBalancing.ROUND_ROBIN, 70, 20, 10), 10_000);

    assertThat(counts.get("10.0.0.1")).isBetween(6_900, 7_100);
    assertThat(counts.get("10.0.0.2")).isBetween(1_900, 2_100);
    assertThat(counts.get("10.0.0.3")).isBetween(900, 1_100);
  }

  @Test
  void round_robin_interleaves_rather_than_sending_bursts() {
    UpstreamPool pool = pool(UpstreamBalancing.ROUND_ROBIN, 5, 1, 1);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      order.add(pool.pick(List.of()).host());
    }

    assertThat(order)
        .containsExactly(
            "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3", "10.0.0.1", "10.0.0.1");
  }

  @Test
  void least_requests_prefers_fewer_requests_per_unit_of_weight() {
    UpstreamPool pool = pool(UpstreamBalancing.LEAST_REQUESTS, 1, 2);
    Target light = pool.targets().get(0);
    Target heavy = pool.targets().get(1);
    light.started();
    heavy.started();
    heavy.started();

    // light: (1+1)/1 = 2; heavy: (2+1)/2 = 1.5
    assertThat(pool.pick(List.of())).isSameAs(heavy);
    heavy.started();
    // heavy: (3+1)/2 = 2, a tie: either may take it
    assertThat(pool.pick(List.of())).isIn(light, heavy);
  }

  @Test
  void skips_open_breakers_unhealthy_targets_and_targets_already_tried() {
    UpstreamPool pool = pool(UpstreamBalancing.ROUND_ROBIN, 1, 1, 1);
    Target a = pool.targets().get(0);
    Target b = pool.targets().get(1);
    Target c = pool.targets().get(2);
    a.breaker().onFailure();
    a.breaker().onFailure();
    b.probed(false, 1, 1);

    assertThat(picks(pool, 10)).containsOnlyKeys("10.0.0.3");
    assertThat(pool.pick(List.of(c))).isNull();
  }

  @Test
  void discovered_srv_priorities_send_to_the_lowest_available_and_fall_back_in_order() {
    for (UpstreamBalancing balancing : UpstreamBalancing.values()) {
      UpstreamPool pool =
          new UpstreamPool(
              new UpstreamConfig("p", balancing, List.of(), null),
              null,
              null,
              null,
              new UpstreamSettings(2, 60_000, 0.2, 5, 10),
              System::nanoTime);
      assertThat(
              pool.discovered(
                  List.of(
                      new UpstreamPool.DiscoveredTarget(
                          new UpstreamTarget("http://10.0.0.3:80", 1), 20),
                      new UpstreamPool.DiscoveredTarget(
                          new UpstreamTarget("http://10.0.0.1:80", 1), 10),
                      new UpstreamPool.DiscoveredTarget(
                          new UpstreamTarget("http://10.0.0.2:80", 1), 10))))
          .isTrue();

      assertThat(picks(pool, 100)).containsOnlyKeys("10.0.0.1", "10.0.0.2");
      Target first = pool.targets().get(1);
      // A request that tried both priority-10 targets is retried on the priority-20 one.
      assertThat(pool.pick(List.of(pool.targets().get(1), pool.targets().get(2))).host())
          .isEqualTo("10.0.0.3");
      first.probed(false, 1, 1);
      pool.targets().get(2).probed(false, 1, 1);
      assertThat(picks(pool, 10)).containsOnlyKeys("10.0.0.3");
      first.probed(true, 1, 1);
      assertThat(picks(pool, 10)).containsOnlyKeys("10.0.0.1");
    }
  }

  @Test
  void a_rediscovered_target_keeps_its_state_unless_its_priority_changed() {
    UpstreamPool pool = pool(UpstreamBalancing.ROUND_ROBIN);
    UpstreamTarget a = new UpstreamTarget("http://10.0.0.1:80", 1);
    pool.discovered(List.of(new UpstreamPool.DiscoveredTarget(a, 0)));
    Target before = pool.targets().getFirst();

    assertThat(pool.discovered(List.of(new UpstreamPool.DiscoveredTarget(a, 0)))).isFalse();
    assertThat(pool.targets().getFirst()).isSameAs(before);
    assertThat(pool.discovered(List.of(new UpstreamPool.DiscoveredTarget(a, 5)))).isTrue();
    assertThat(pool.targets().getFirst()).isNotSameAs(before);
    assertThat(pool.targets().getFirst().priority()).isEqualTo(5);
  }
}
