package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an upstream spreads requests over its available targets. */
public enum UpstreamBalancing {
  /** Smooth weighted round-robin (nginx's): each target gets its weight's share, interleaved. */
  @JsonProperty("round_robin")
  ROUND_ROBIN,
  /** The target with the fewest requests in flight per unit of weight. */
  @JsonProperty("least_requests")
  LEAST_REQUESTS
}
