package dev.turnpike.gateway.upstream;

import dev.turnpike.gateway.integration.IntegrationOwner;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The meters of one pool's targets: registered when its stage is committed, following the targets
 * DNS discovery adds and drops, removed when the pool stops.
 */
final class TargetMeters {
  private final MeterRegistry registry;
  private final UpstreamPool pool;
  private final Map<Target, List<Meter>> meters = new HashMap<>();
  private final List<Meter> discoveryMeters = new ArrayList<>();
  private boolean active;

  TargetMeters(MeterRegistry registry, UpstreamPool pool) {
    this.registry = registry;
    this.pool = pool;
  }

  /** Starts showing the pool's targets. */
  synchronized void activate() {
    active = true;
    if (pool.config().discovery() != null && discoveryMeters.isEmpty()) {
      discoveryMeters.addAll(registerDiscovery());
    }
    refresh();
  }

  /** Brings the meters to the pool's current targets, once active. */
  synchronized void refresh() {
    if (!active) {
      return;
    }
    List<Target> current = pool.targets();
    for (Target gone : new ArrayList<>(meters.keySet())) {
      if (!current.contains(gone)) {
        meters.remove(gone).forEach(registry::remove);
      }
    }
    for (Target target : current) {
      meters.computeIfAbsent(target, this::register);
    }
  }

  synchronized void close() {
    active = false;
    meters.values().forEach(list -> list.forEach(registry::remove));
    meters.clear();
    discoveryMeters.forEach(registry::remove);
    discoveryMeters.clear();
  }

  private Tags poolTags() {
    IntegrationOwner owner = pool.owner();
    return Tags.of(
        "tenant", owner.tenantSlug(),
        "api", owner.apiSlug(),
        "stage", owner.stage(),
        "upstream", pool.name());
  }

  private List<Meter> registerDiscovery() {
    return List.of(
        Gauge.builder(
                "turnpike.gateway.upstream.discovery.failing",
                pool,
                p -> p.discoveryFailing() ? 1 : 0)
            .description(
                "1 while the upstream's last DNS lookup failed on this node and its targets are"
                    + " the last good lookup's")
            .tags(poolTags())
            .register(registry),
        FunctionCounter.builder(
                "turnpike.gateway.upstream.discovery.failures",
                pool,
                UpstreamPool::discoveryFailures)
            .description("DNS lookups of the upstream's discovery that failed on this node")
            .tags(poolTags())
            .register(registry));
  }

  private List<Meter> register(Target target) {
    Tags tags = poolTags().and("target", target.address());
    return List.of(
        Gauge.builder("turnpike.gateway.upstream.target.healthy", target, t -> t.healthy() ? 1 : 0)
            .description("1 while the target passes its active health check on this node")
            .tags(tags)
            .register(registry),
        Gauge.builder(
                "turnpike.gateway.upstream.target.breaker",
                target,
                t -> t.breaker().state().ordinal())
            .description("The target's circuit breaker on this node: 0 closed, 1 half-open, 2 open")
            .tags(tags)
            .register(registry));
  }
}
