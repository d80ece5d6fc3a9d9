package dev.turnpike.controlplane.alarm.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.alarm.AlarmMetric;
import dev.turnpike.controlplane.alarm.PromQlSelectors;
import dev.turnpike.controlplane.alarm.PromQlSelectors.Matcher;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The queries alarms are judged with select one tenant's stage, whatever the stage is called. */
class PromQlTest {
  @ParameterizedTest(name = "{0}")
  @EnumSource(AlarmMetric.class)
  void every_selector_of_every_metric_names_the_tenant_api_and_stage_by_equality(
      AlarmMetric metric) {
    String query = PromQl.query(metric, "t-1", "pets", "prod", 5);

    List<List<Matcher>> selectors = PromQlSelectors.of(query);

    assertThat(selectors).isNotEmpty();
    for (List<Matcher> matchers : selectors) {
      assertThat(matchers.subList(0, 3))
          .containsExactly(
              new Matcher("tenant", "=", "t-1"),
              new Matcher("api", "=", "pets"),
              new Matcher("stage", "=", "prod"));
      assertThat(matchers.subList(3, matchers.size()))
          .allSatisfy(m -> assertThat(m.name()).isEqualTo("status"));
    }
    assertThat(query).contains("[5m]");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "prod\",tenant=~\".+",
        "prod\"} or turnpike_gateway_requests_total{tenant=~\".*",
        "prod\\",
        "prod\\\",tenant!=\"",
        "prod\n\"}",
        "pröd\u2028\"",
        "prod\\u0022,tenant=~\\u0022.+",
        "\uD83D\uDE00\"}"
      })
  void a_stage_name_made_to_break_out_of_its_string_stays_one_literal(String stage) {
    String query = PromQl.query(AlarmMetric.ERROR_RATE_5XX, "t-1", "pets", stage, 5);

    List<List<Matcher>> selectors = PromQlSelectors.of(query);

    assertThat(selectors).hasSize(2);
    assertThat(selectors.get(0))
        .containsExactly(
            new Matcher("tenant", "=", "t-1"),
            new Matcher("api", "=", "pets"),
            new Matcher("stage", "=", stage),
            new Matcher("status", "=", "5xx"));
    assertThat(selectors.get(1))
        .containsExactly(
            new Matcher("tenant", "=", "t-1"),
            new Matcher("api", "=", "pets"),
            new Matcher("stage", "=", stage));
    assertThat(query).doesNotContain("\n");
  }
}
