package dev.turnpike.gateway.upstream;

import dev.turnpike.gateway.integration.IntegrationOwner;
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
  private boolean active;

  TargetMeters(MeterRegistry registry, UpstreamPool pool) {
    this.registry = registry;
    this.pool = pool;
  }

  /** Starts showing the pool's targets. */
  synchronized void activate() {
    active = true;
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
  }

  private List<Meter> register(Target target) {
    IntegrationOwner owner = pool.owner();
    Tags tags =
        Tags.of(
            "tenant", owner.tenantSlug(),
            "api", owner.apiSlug(),
            "stage", owner.stage(),
            "upstream", pool.name(),
            "target", target.address());
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
