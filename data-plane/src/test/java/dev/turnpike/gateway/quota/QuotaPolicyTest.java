package dev.turnpike.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QuotaPolicyTest {

  private static final Instant PLAN_CREATED = Instant.parse("2025-03-20T10:00:00Z");

  @Nested
  class Offset {

    private final QuotaPolicy policy = new QuotaPolicy(1_000, 400, QuotaPeriod.MONTH, PLAN_CREATED);

    @Test
    void reduces_the_limit_in_the_initial_period() {
      QuotaWindow march = policy.windowContaining(PLAN_CREATED);

      assertThat(policy.limitIn(march)).isEqualTo(600);
      assertThat(policy.initialWindow()).isEqualTo(march);
    }

    @Test
    void does_not_reduce_the_limit_in_later_periods() {
      QuotaWindow april = policy.windowContaining(Instant.parse("2025-04-01T00:00:00Z"));

      assertThat(policy.limitIn(april)).isEqualTo(1_000);
    }

    @Test
    void is_a_request_count_not_a_time_shift() {
      // The initial period is still the calendar month, not one shifted by 400 of anything.
      assertThat(policy.windowContaining(Instant.parse("2025-03-01T00:00:00Z")))
          .isEqualTo(
              new QuotaWindow(
                  Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-04-01T00:00:00Z")));
    }

    @Test
    void equal_to_the_limit_leaves_nothing_in_the_initial_period() {
      QuotaPolicy exhausted = new QuotaPolicy(50, 50, QuotaPeriod.DAY, PLAN_CREATED);

      assertThat(exhausted.remaining(exhausted.initialWindow(), 0)).isZero();
    }
  }

  @Nested
  class Remaining {

    private final QuotaPolicy policy = new QuotaPolicy(1_000, 400, QuotaPeriod.WEEK, PLAN_CREATED);

    @Test
    void is_the_limit_minus_used() {
      assertThat(QuotaPolicy.remaining(1_000, 250)).isEqualTo(750);
      assertThat(QuotaPolicy.remaining(1_000, 1_000)).isZero();
    }

    @Test
    void never_goes_negative_after_an_overshoot() {
      assertThat(QuotaPolicy.remaining(1_000, 1_003)).isZero();
    }

    @Test
    void applies_the_offset_in_the_initial_period_only() {
      QuotaWindow initial = policy.initialWindow();
      QuotaWindow next = policy.windowContaining(initial.end());

      assertThat(policy.remaining(initial, 100)).isEqualTo(500);
      assertThat(policy.remaining(next, 100)).isEqualTo(900);
    }
  }

  @Nested
  class Validation {

    @Test
    void rejects_a_negative_limit() {
      assertThatThrownBy(() -> new QuotaPolicy(-1, 0, QuotaPeriod.DAY, PLAN_CREATED))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Quota limit must be >= 0");
    }

    @Test
    void rejects_an_offset_outside_zero_to_limit() {
      assertThatThrownBy(() -> new QuotaPolicy(10, 11, QuotaPeriod.DAY, PLAN_CREATED))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Quota offset must be between 0 and the limit 10, got 11");
      assertThatThrownBy(() -> new QuotaPolicy(10, -1, QuotaPeriod.DAY, PLAN_CREATED))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_missing_period_or_start() {
      assertThatThrownBy(() -> new QuotaPolicy(10, 0, null, PLAN_CREATED))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> new QuotaPolicy(10, 0, QuotaPeriod.DAY, null))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
