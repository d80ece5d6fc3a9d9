package dev.turnpike.metering.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.QuotaPeriod;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QuotaRuleTest {

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @Nested
  class Offset {
    private final QuotaRule monthly =
        new QuotaRule(
            UUID.randomUUID(), "plan", 1_000, 300, QuotaPeriod.MONTH, at("2026-11-10T09:00:00Z"));

    @Test
    void takes_the_offset_off_the_limit_in_the_period_the_plan_began() {
      assertThat(monthly.limitIn(monthly.windowContaining(at("2026-11-30T00:00:00Z"))))
          .isEqualTo(700);
    }

    @Test
    void allows_the_full_limit_in_every_later_period() {
      assertThat(monthly.limitIn(monthly.windowContaining(at("2026-12-01T00:00:00Z"))))
          .isEqualTo(1_000);
    }

    @Test
    void rejects_an_offset_above_the_limit() {
      assertThatThrownBy(
              () -> new QuotaRule(UUID.randomUUID(), "p", 10, 11, QuotaPeriod.DAY, Instant.EPOCH))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
