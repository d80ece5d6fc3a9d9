package dev.turnpike.controlplane.upstream;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One upstream of an API, as stored: named within its API, checked by {@link Upstreams}. */
public record Upstream(
    UUID id,
    UUID apiId,
    String name,
    UpstreamBalancing balancing,
    List<UpstreamTarget> targets,
    UpstreamHealthCheck healthCheck,
    UpstreamDiscovery discovery,
    Instant createdAt,
    Instant updatedAt) {
  public Upstream {
    targets = List.copyOf(targets);
  }

  /** The upstream as a deployment freezes it and a gateway node runs it. */
  public UpstreamConfig config() {
    return new UpstreamConfig(name, balancing, targets, healthCheck, discovery);
  }
}
