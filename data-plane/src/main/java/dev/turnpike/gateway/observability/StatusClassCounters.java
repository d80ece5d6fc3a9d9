package dev.turnpike.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Requests by status class, as API Gateway's Count, 4XXError and 5XXError: one counter per class
 * ({@code status="1xx"} to {@code "5xx"}), a status outside 100-599 counted as 5xx.
 */
final class StatusClassCounters {
  private final Counter[] byClass = new Counter[6];

  StatusClassCounters(MeterRegistry registry, String name, String description, Tags tags) {
    for (int statusClass = 1; statusClass <= 5; statusClass++) {
      byClass[statusClass] =
          Counter.builder(name)
              .description(description)
              .tags(tags)
              .tag("status", statusClass + "xx")
              .register(registry);
    }
  }

  void increment(int status) {
    int statusClass = status / 100;
    byClass[statusClass >= 1 && statusClass <= 5 ? statusClass : 5].increment();
  }
}
