package dev.turnpike.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.usage.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Requests count by status class; throttle and quota refusals also by their reason. */
class StageMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StageMeters meters = new StageMeters(registry, "acme", "pets", "prod");

  private double count(String name, String tag, String value) {
    return registry
        .get(name)
        .tags("tenant", "acme", "api", "pets", "stage", "prod", tag, value)
        .counter()
        .count();
  }

  @Test
  void throttled_and_quota_refusals_count_apart_from_other_4xx() {
    meters.record(429, Outcome.THROTTLED, 1_000);
    meters.record(429, Outcome.THROTTLED, 1_000);
    meters.record(429, Outcome.QUOTA_EXCEEDED, 1_000);
    meters.record(403, Outcome.FORBIDDEN, 1_000);
    meters.record(200, Outcome.SERVED, 1_000);

    assertThat(count("turnpike.gateway.refused", "reason", "throttled")).isEqualTo(2);
    assertThat(count("turnpike.gateway.refused", "reason", "quota")).isEqualTo(1);
    assertThat(count("turnpike.gateway.requests", "status", "4xx")).isEqualTo(4);
    assertThat(count("turnpike.gateway.requests", "status", "2xx")).isEqualTo(1);
  }

  @Test
  void a_stage_registers_no_meter_until_its_first_request() {
    StageMeters idle = new StageMeters(registry, "acme", "idle", "prod");
    assertThat(registry.getMeters()).isEmpty();
    assertThat(idle.registered()).isFalse();

    idle.record(200, Outcome.SERVED, 1_000);

    assertThat(idle.registered()).isTrue();
    assertThat(
            registry
                .get("turnpike.gateway.requests")
                .tags("api", "idle", "release", "base", "status", "2xx")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("turnpike.gateway.request.latency").tags("api", "idle").timer().count())
        .isEqualTo(1);
    // The whole set at once, as before: dashboards and alerts see zeros, not missing series.
    assertThat(registry.get("turnpike.gateway.refused").tags("api", "idle").counters()).hasSize(2);
    assertThat(registry.get("turnpike.gateway.cache.hits").tags("api", "idle").counter().count())
        .isZero();
  }

  @Test
  void a_recompiled_stage_counts_on_into_the_same_meters() {
    meters.record(200, Outcome.SERVED, 1_000);
    StageMeters recompiled = new StageMeters(registry, "acme", "pets", "prod");

    recompiled.record(200, Outcome.SERVED, 1_000);
    recompiled.cacheHit();

    assertThat(count("turnpike.gateway.requests", "status", "2xx")).isEqualTo(2);
    assertThat(registry.get("turnpike.gateway.cache.hits").counter().count()).isEqualTo(1);
  }
}
