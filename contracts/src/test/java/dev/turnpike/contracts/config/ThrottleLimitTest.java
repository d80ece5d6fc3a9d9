package dev.turnpike.contracts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ThrottleLimitTest {
  @Nested
  class Validation {
    @Test
    void rejects_negative_nan_and_infinite_rates() {
      for (double rate : new double[] {-1, -0.001, Double.NaN, Double.POSITIVE_INFINITY}) {
        assertThatThrownBy(() -> new ThrottleLimit(rate, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Throttle rate must be a finite number >= 0");
      }
    }

    @Test
    void rejects_a_negative_burst() {
      assertThatThrownBy(() -> new ThrottleLimit(10, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("burstLimit must be >= 0");
    }
  }

  @Nested
  class Burst {
    @Test
    void a_burst_of_zero_as_api_gateway_accepts_it_enforces_as_one_request() {
      assertThat(new ThrottleLimit(10, 0).effectiveBurst()).isEqualTo(1);
      assertThat(new ThrottleLimit(10, 7).effectiveBurst()).isEqualTo(7);
    }

    @Test
    void a_nodes_share_of_a_zero_burst_still_holds_one_request() {
      assertThat(new ThrottleLimit(10, 0).shareFor(3)).isEqualTo(new ThrottleLimit(10.0 / 3, 1));
    }
  }
}
