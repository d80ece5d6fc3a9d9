package dev.turnpike.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.gateway.upstream.CircuitBreaker.State;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final CircuitBreaker breaker = new CircuitBreaker(3, 1_000, now::get);

  void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryPass()).isTrue();
      breaker.onFailure();
    }
  }

  @Test
  void opens_after_the_configured_consecutive_failures_only() {
    fail(2);
    breaker.onSuccess();
    fail(2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    fail(1);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryPass()).isFalse();
    assertThat(breaker.mayPass()).isFalse();
  }

  @Test
  void after_the_cool_down_lets_exactly_one_request_through_and_closes_on_its_success() {
    fail(3);
    now.addAndGet(999_000_000L);
    assertThat(breaker.tryPass()).isFalse();

    now.addAndGet(1_000_000L);
    assertThat(breaker.tryPass()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryPass()).isFalse();
    assertThat(breaker.mayPass()).isFalse();

    breaker.onSuccess();

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryPass()).isTrue();
  }

  @Test
  void a_failed_half_open_request_opens_it_for_another_cool_down() {
    fail(3);
    now.addAndGet(1_000_000_000L);
    assertThat(breaker.tryPass()).isTrue();

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    now.addAndGet(500_000_000L);
    assertThat(breaker.tryPass()).isFalse();
    now.addAndGet(500_000_000L);
    assertThat(breaker.tryPass()).isTrue();
  }
}
