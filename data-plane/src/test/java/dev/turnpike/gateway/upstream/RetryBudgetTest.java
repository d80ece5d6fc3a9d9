package dev.turnpike.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  final AtomicLong now = new AtomicLong(100_000_000_000L);

  RetryBudget budget(double ratio, int minPerSecond) {
    return new RetryBudget(new UpstreamSettings(5, 1000, ratio, minPerSecond, 10), now::get);
  }

  static int retriesAllowed(RetryBudget budget) {
    int allowed = 0;
    while (budget.tryRetry() && allowed < 100_000) {
      allowed++;
    }
    return allowed;
  }

  @Test
  void retries_stay_within_the_ratio_of_requests_plus_the_minimum() {
    RetryBudget budget = budget(0.2, 1);
    for (int i = 0; i < 1000; i++) {
      budget.onRequest();
    }

    // 20% of 1,000 requests plus 1 per second over the 10 s window.
    assertThat(retriesAllowed(budget)).isEqualTo(210);
  }

  @Test
  void an_outage_cannot_be_amplified_a_quiet_upstream_still_gets_its_minimum() {
    RetryBudget budget = budget(0.2, 0);
    assertThat(retriesAllowed(budget)).isZero();

    RetryBudget quiet = budget(0.2, 2);
    assertThat(retriesAllowed(quiet)).isEqualTo(20);
  }

  @Test
  void old_requests_and_retries_leave_the_window() {
    RetryBudget budget = budget(0.5, 0);
    for (int i = 0; i < 100; i++) {
      budget.onRequest();
    }
    assertThat(retriesAllowed(budget)).isEqualTo(50);

    now.addAndGet(11_000_000_000L);

    assertThat(retriesAllowed(budget)).isZero();
    budget.onRequest();
    budget.onRequest();
    assertThat(retriesAllowed(budget)).isEqualTo(1);
  }
}
