package dev.turnpike.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemandSharesTest {
  private static final String PLAN = "plan:p@100.0/10";

  private static DemandReport report(String node, boolean truncated, Map<String, Double> rates) {
    return new DemandReport(
        node,
        truncated,
        rates.values().stream().mapToDouble(Double::doubleValue).sum(),
        Map.of(PLAN, rates));
  }

  @Test
  void a_key_only_one_node_sees_gets_the_whole_limit_there_and_the_floor_elsewhere() {
    DemandReport a = report("a", false, Map.of("k", 500.0));
    DemandReport b = report("b", false, Map.of());
    DemandReport c = report("c", false, Map.of());

    assertThat(new DemandShares(3, a, List.of(b, c)).fraction(PLAN, "k")).isEqualTo(1.0);
    assertThat(new DemandShares(3, b, List.of(a, c)).fraction(PLAN, "k"))
        .isEqualTo(DemandShares.FLOOR / 3);
  }

  @Test
  void a_key_split_three_to_one_is_shared_three_quarters_to_one_quarter() {
    DemandReport a = report("a", false, Map.of("k", 300.0));
    DemandReport b = report("b", false, Map.of("k", 100.0));

    assertThat(new DemandShares(2, a, List.of(b)).fraction(PLAN, "k"))
        .isCloseTo(0.75, within(1e-9));
    assertThat(new DemandShares(2, b, List.of(a)).fraction(PLAN, "k"))
        .isCloseTo(0.25, within(1e-9));
  }

  @Test
  void keys_nobody_reported_take_the_even_share() {
    DemandReport a = report("a", false, Map.of("k", 300.0));
    DemandReport b = report("b", false, Map.of());

    assertThat(new DemandShares(2, a, List.of(b)).fraction(PLAN, "other")).isNaN();
    assertThat(new DemandShares(2, a, List.of(b)).fraction("stage:s@5.0/5", "k")).isNaN();
  }

  @Test
  void a_node_that_truncated_its_report_keeps_the_even_share_of_the_keys_it_left_out() {
    DemandReport a = report("a", false, Map.of("k", 300.0));
    DemandReport b = report("b", true, Map.of("hot", 9_000.0));

    // b may see some of k without telling, and enforces 1/2 for it: a takes the rest.
    assertThat(new DemandShares(2, a, List.of(b)).fraction(PLAN, "k")).isCloseTo(0.5, within(1e-9));
    assertThat(new DemandShares(2, b, List.of(a)).fraction(PLAN, "k")).isNaN();
  }

  @Test
  void the_shares_of_a_key_add_up_to_at_most_the_limit_plus_the_floors() {
    List<DemandReport> nodes =
        List.of(
            report("a", false, Map.of("k", 1_000.0)),
            report("b", false, Map.of("k", 1.0)),
            report("c", false, Map.of()),
            report("d", true, Map.of("x", 5_000.0)));
    double sum = 0;
    for (DemandReport own : nodes) {
      List<DemandReport> others = nodes.stream().filter(n -> n != own).toList();
      double fraction = new DemandShares(nodes.size(), own, others).fraction(PLAN, "k");
      sum += Double.isNaN(fraction) ? 1.0 / nodes.size() : fraction;
    }

    assertThat(sum).isGreaterThanOrEqualTo(1.0).isLessThanOrEqualTo(1 + DemandShares.FLOOR);
  }
}
