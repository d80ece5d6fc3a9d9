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
}
