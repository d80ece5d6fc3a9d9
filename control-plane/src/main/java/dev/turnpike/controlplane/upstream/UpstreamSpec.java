package dev.turnpike.controlplane.upstream;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamHealthCheck;
import dev.turnpike.contracts.config.UpstreamTarget;
import java.util.List;

/**
 * What a PUT of an upstream states (its name is the path's).
 *
 * @param balancing null for round-robin
 * @param healthCheck null for no active health check
 */
public record UpstreamSpec(
    UpstreamBalancing balancing, List<UpstreamTarget> targets, UpstreamHealthCheck healthCheck) {}
