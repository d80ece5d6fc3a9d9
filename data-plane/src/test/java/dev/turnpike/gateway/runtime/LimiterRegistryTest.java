package dev.turnpike.gateway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.throttle.GcraLimiter;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LimiterRegistryTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long T0 = 987_654_321L;

  private static int admittedInOneSecond(GcraLimiter limiter, long start) {
    int admitted = 0;
    for (long t = 0; t < SECOND; t += MILLISECOND) {
      admitted += limiter.tryAcquire("key", start + t) ? 1 : 0;
    }
    return admitted;
  }

  @Test
  void a_new_node_count_reshares_the_limiters_already_made() {
    LimiterRegistry registry = new LimiterRegistry(4);
    GcraLimiter stage = registry.limiter("stage-a", new ThrottleLimit(100, 1), new HashSet<>());
    assertThat(admittedInOneSecond(stage, T0)).isEqualTo(25);

    registry.nodeCount(2);

    assertThat(admittedInOneSecond(stage, T0 + SECOND)).isBetween(49, 51);
    assertThat(stage.limit()).isEqualTo(new ThrottleLimit(50, 1));
  }

  @Test
  void limiters_made_later_take_the_current_count() {
    LimiterRegistry registry = new LimiterRegistry(3);

    registry.nodeCount(5);
    GcraLimiter stage = registry.limiter("stage-a", new ThrottleLimit(100, 50), new HashSet<>());

    assertThat(stage.limit()).isEqualTo(new ThrottleLimit(20, 10));
    assertThat(registry.nodeCount()).isEqualTo(5);
  }

  @Test
  void a_redeploy_after_resharing_keeps_the_same_limiter() {
    LimiterRegistry registry = new LimiterRegistry(1);
    GcraLimiter before = registry.limiter("stage-a", new ThrottleLimit(10, 5), new HashSet<>());

    registry.nodeCount(2);

    assertThat(registry.limiter("stage-a", new ThrottleLimit(10, 5), new HashSet<>()))
        .isSameAs(before);
    assertThat(before.limit()).isEqualTo(new ThrottleLimit(5, 2));
  }

  @Test
  void refuses_fewer_than_one_node() {
    LimiterRegistry registry = new LimiterRegistry(2);

    assertThatThrownBy(() -> registry.nodeCount(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(registry.nodeCount()).isEqualTo(2);
  }
}
