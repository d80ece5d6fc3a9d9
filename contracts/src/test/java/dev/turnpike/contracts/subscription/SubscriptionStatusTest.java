package dev.turnpike.contracts.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SubscriptionStatusTest {
  @Test
  void only_approved_or_approval_free_unpaid_subscriptions_may_check_out() {
    assertThat(SubscriptionStatus.payableWire())
        .containsExactly("approved", "pending_payment", "payment_failed");
    assertThat(SubscriptionStatus.PENDING_APPROVAL.payable()).isFalse();
    assertThat(SubscriptionStatus.PAYMENT_PROCESSING.payable()).isFalse();
  }

  @Test
  void every_status_round_trips_through_its_stored_value_and_unknown_ones_are_refused() {
    Arrays.stream(SubscriptionStatus.values())
        .forEach(s -> assertThat(SubscriptionStatus.of(s.wire())).isEqualTo(s));
    assertThatThrownBy(() -> SubscriptionStatus.of("paid"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paid");
  }
}
