package dev.turnpike.controlplane.upstream;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import java.util.List;

/**
 * What a PUT of an upstream states (its name is the path's).
 *
 * @param balancing null for round-robin
 * @param healthCheck null for no active health check
 * @param discovery targets from DNS besides {@code targets}; null for none
 */
public record UpstreamSpec(
    UpstreamBalancing balancing,
    List<UpstreamTarget> targets,
    UpstreamHealthCheck healthCheck,
    UpstreamDiscovery discovery) {}
