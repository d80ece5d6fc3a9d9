package dev.turnpike.gateway.observability;

import dev.turnpike.contracts.usage.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The per tenant / API / stage request meters, looked up once per deployment so that recording a
 * request is two increments, not a registry lookup. Micrometer returns the same meters for the same
 * tags, so counts carry over across config swaps.
 *
 * <p>The meters, about 14 with a percentile histogram, are registered on the stage's first request
 * ({@link RegisteredOnFirstUse}), not when the stage compiles.
 */
public final class StageMeters {
  private final RegisteredOnFirstUse<Meters> meters;

  /** The meters of a stage's base deployment. */
  public StageMeters(MeterRegistry registry, String tenant, String api, String stage) {
    this(registry, tenant, api, stage, false);
  }

  /**
   * @param canary whether these count the stage's canary: every meter carries {@code
   *     release="base"} or {@code release="canary"}, so the two sides compare side by side
   */
  public StageMeters(
      MeterRegistry registry, String tenant, String api, String stage, boolean canary) {
    this.meters =
        new RegisteredOnFirstUse<>(() -> new Meters(registry, tags(tenant, api, stage, canary)));
  }

  /** The tags every meter of a stage carries; {@link RouteMeters} adds the route's. */
  static Tags tags(String tenant, String api, String stage, boolean canary) {
    return Tags.of(
        "tenant", tenant, "api", api, "stage", stage, "release", canary ? "canary" : "base");
  }

  public void cacheHit() {
    meters.get().cacheHits.increment();
  }

  public void cacheMiss() {
    meters.get().cacheMisses.increment();
  }

  public void record(int status, Outcome outcome, long latencyNanos) {
    Meters registered = meters.get();
    if (outcome == Outcome.THROTTLED) {
      registered.throttled.increment();
    } else if (outcome == Outcome.QUOTA_EXCEEDED) {
      registered.quotaRefused.increment();
    }
    registered.byStatusClass.increment(status);
    registered.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** Whether the stage has had a request, so its meters exist. */
  public boolean registered() {
    return meters.registered();
  }

  private static final class Meters {
    private final StatusClassCounters byStatusClass;
    private final Timer latency;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter throttled;
    private final Counter quotaRefused;

    Meters(MeterRegistry registry, Tags tags) {
      byStatusClass =
          new StatusClassCounters(
              registry, "turnpike.gateway.requests", "Gateway requests by status class", tags);
      latency =
          Timer.builder("turnpike.gateway.request.latency")
              .description("Time from request to the end of the response")
              .tags(tags)
              .publishPercentileHistogram()
              .register(registry);
      // API Gateway's CacheHitCount and CacheMissCount: lookups of cached routes only.
      cacheHits =
          Counter.builder("turnpike.gateway.cache.hits")
              .description("Requests answered from the stage cache")
              .tags(tags)
              .register(registry);
      cacheMisses =
          Counter.builder("turnpike.gateway.cache.misses")
              .description("Requests to cached routes that the integration answered")
              .tags(tags)
              .register(registry);
      // The shipped alert TurnpikeStageThrottlingSpike reads these; 429s alone mix both reasons.
      throttled = refused(registry, tags, "throttled");
      quotaRefused = refused(registry, tags, "quota");
    }

    private static Counter refused(MeterRegistry registry, Tags tags, String reason) {
      return Counter.builder("turnpike.gateway.refused")
          .description("Requests refused by a throttle or a quota, by reason")
          .tags(tags)
          .tag("reason", reason)
          .register(registry);
    }
  }
}
