package dev.turnpike.gateway.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * API Gateway's per-method metrics for one route (or a stage's {@code other} routes): Count,
 * 4XXError and 5XXError as requests by status class, Latency and IntegrationLatency. Built once per
 * deployment, so a request records into fields, never through a registry lookup.
 *
 * <p>The latency histograms have a dozen fixed buckets, not the stage meters' percentile histogram
 * (about 70 buckets): with {@link RouteMetricsSettings#routesPerNode()} routes of two histograms
 * each, the node's series stay in the tens of thousands.
 *
 * <p>Registered on the route's first request ({@link RegisteredOnFirstUse}), as {@link StageMeters}
 * are: past the bounds every stage still has its {@code other} route, and 50,000 idle stages would
 * hold that many meter sets.
 */
public final class RouteMeters {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(29)
  };

  private final RegisteredOnFirstUse<Meters> meters;

  /**
   * @param route the route key, or {@link RouteMeterBudget#OTHER}
   * @param canary whether these count the stage's canary ({@code release="canary"})
   */
  public RouteMeters(
      MeterRegistry registry,
      String tenant,
      String api,
      String stage,
      boolean canary,
      String route) {
    this.meters =
        new RegisteredOnFirstUse<>(
            () ->
                new Meters(
                    registry, StageMeters.tags(tenant, api, stage, canary).and("route", route)));
  }

  /**
   * @param integrationNanos how long the integration took; 0 when none was called (a refusal, a
   *     cache hit, a mock answered in place), which records no integration latency
   */
  public void record(int status, long latencyNanos, long integrationNanos) {
    Meters registered = meters.get();
    registered.byStatusClass.increment(status);
    registered.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    if (integrationNanos > 0) {
      registered.integrationLatency.record(integrationNanos, TimeUnit.NANOSECONDS);
    }
  }

  private static final class Meters {
    private final StatusClassCounters byStatusClass;
    private final Timer latency;
    private final Timer integrationLatency;

    Meters(MeterRegistry registry, Tags tags) {
      byStatusClass =
          new StatusClassCounters(
              registry,
              "turnpike.gateway.route.requests",
              "Gateway requests per route by status class",
              tags);
      latency =
          Timer.builder("turnpike.gateway.route.latency")
              .description("Time from request to the end of the response, per route")
              .tags(tags)
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      integrationLatency =
          Timer.builder("turnpike.gateway.route.integration.latency")
              .description("Time the route's integration took to answer")
              .tags(tags)
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
    }
  }
}
