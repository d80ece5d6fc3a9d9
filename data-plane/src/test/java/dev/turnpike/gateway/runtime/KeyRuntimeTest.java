package dev.turnpike.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key's throttle subject and quota counter per plan, built on first use and kept. */
class KeyRuntimeTest {
  private final KeyRuntime key =
      KeyRuntime.of(
          new KeyRecord(
              1,
              "hash-1",
              "key-1",
              "tpk_abcd",
              "t-1",
              "app-9",
              List.of("basic", "shared"),
              KeyStatus.ENABLED,
              null));

  private static PlanBinding plan(String planId, boolean perSubscription) {
    return new PlanBinding(planId, null, Map.of(), null, perSubscription, 0);
  }

  @Test
  void a_per_key_plan_counts_the_key_itself() {
    assertThat(key.throttleSubject(plan("basic", false))).isEqualTo("key-1");
    assertThat(key.quotaCounter(plan("basic", false))).isEqualTo("key-1/basic");
  }

  @Test
  void a_per_subscription_plan_counts_the_app() {
    assertThat(key.throttleSubject(plan("shared", true))).isEqualTo("app:app-9");
    assertThat(key.quotaCounter(plan("shared", true))).isEqualTo("app:app-9/shared");
  }

  @Test
  void the_names_are_built_once_per_plan_and_follow_a_change_of_plan() {
    String first = key.quotaCounter(plan("basic", false));
    assertThat(key.quotaCounter(plan("basic", false))).isSameAs(first);

    assertThat(key.quotaCounter(plan("shared", true))).isEqualTo("app:app-9/shared");
    assertThat(key.quotaCounter(plan("basic", false))).isEqualTo("key-1/basic");
  }
}
