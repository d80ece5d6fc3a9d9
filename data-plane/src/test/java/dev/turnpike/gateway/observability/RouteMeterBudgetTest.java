package dev.turnpike.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteMeterBudgetTest {
  @Test
  void routes_past_the_stage_bound_count_as_other() {
    RouteMeterBudget budget = new RouteMeterBudget(new RouteMetricsSettings(2, 100));

    assertThat(budget.label("t:a:prod", 0, "GET /a")).isEqualTo("GET /a");
    assertThat(budget.label("t:a:prod", 1, "GET /b")).isEqualTo("GET /b");
    assertThat(budget.label("t:a:prod", 2, "GET /c")).isEqualTo(RouteMeterBudget.OTHER);
  }

  /** Attack: one tenant's thousands of routes cannot take the series every other tenant needs. */
  @Test
  void the_node_bound_holds_across_stages_and_tenants() {
    RouteMeterBudget budget = new RouteMeterBudget(new RouteMetricsSettings(1_000, 3));

    for (int i = 0; i < 1_000; i++) {
      budget.label("noisy:api:prod", i, "GET /r" + i);
    }

    assertThat(budget.label("quiet:api:prod", 0, "GET /")).isEqualTo(RouteMeterBudget.OTHER);
    assertThat(budget.label("noisy:api:prod", 0, "GET /r0"))
        .as("a route labelled before keeps its label")
        .isEqualTo("GET /r0");
    assertThat(budget.label("noisy:api:prod", 3, "GET /r3")).isEqualTo(RouteMeterBudget.OTHER);
  }

  @Test
  void a_recompiled_stage_keeps_its_labels_without_taking_more_of_the_node_bound() {
    RouteMeterBudget budget = new RouteMeterBudget(new RouteMetricsSettings(10, 2));
    budget.label("t:a:prod", 0, "GET /a");
    budget.label("t:a:prod", 1, "GET /b");

    assertThat(budget.label("t:a:prod", 0, "GET /a")).isEqualTo("GET /a");
    assertThat(budget.label("t:a:prod", 1, "GET /b")).isEqualTo("GET /b");
  }

  @Test
  void negative_bounds_are_refused() {
    assertThatThrownBy(() -> new RouteMetricsSettings(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
