package dev.turnpike.gateway.authorizer.lambda;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * One authorizer's counters, registered once per deployment: cache hits and misses (their ratio is
 * the hit rate an owner watches) and the calls actually made to the authorizer. Micrometer hands
 * back the same counters for the same tags, so counts carry over across config swaps.
 */
final class AuthorizerMeters {
  private final Counter hits;
  private final Counter misses;
  private final Counter invocations;

  AuthorizerMeters(
      MeterRegistry registry, String tenant, String api, String stage, String authorizer) {
    Tags tags = Tags.of("tenant", tenant, "api", api, "stage", stage, "authorizer", authorizer);
    hits = cache(registry, tags, "hit");
    misses = cache(registry, tags, "miss");
    invocations =
        Counter.builder("turnpike.gateway.authorizer.invocations")
            .description("Calls made to a Lambda-style authorizer")
            .tags(tags)
            .register(registry);
  }

  private static Counter cache(MeterRegistry registry, Tags tags, String result) {
    return Counter.builder("turnpike.gateway.authorizer.cache")
        .description("Lambda-style authorizer decisions by whether the cache answered")
        .tags(tags)
        .tag("result", result)
        .register(registry);
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void invoked() {
    invocations.increment();
  }

  long hits() {
    return (long) hits.count();
  }

  long misses() {
    return (long) misses.count();
  }

  long invocations() {
    return (long) invocations.count();
  }
}
