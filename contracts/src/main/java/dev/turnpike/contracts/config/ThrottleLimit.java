package dev.turnpike.contracts.config;

/**
 * A token-bucket limit as API Gateway defines it, on stages, methods and usage plans. The rule for
 * what a limit means lives here once: the control plane accepts and publishes it, the gateway
 * enforces it (its limiter reads {@link #effectiveBurst()} and {@link #shareFor(int)}).
 *
 * @param rateLimit the steady-state rate in requests per second; may be fractional (0.5 is one
 *     request per two seconds), 0 blocks every request
 * @param burstLimit how many requests may arrive at once after a quiet period; API Gateway accepts
 *     0, which enforces as 1 (see {@link #effectiveBurst()})
 */
public record ThrottleLimit(double rateLimit, int burstLimit) {
  public ThrottleLimit {
    if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
      throw new IllegalArgumentException(
          "Throttle rate must be a finite number >= 0, got " + rateLimit);
    }
    if (burstLimit < 0) {
      throw new IllegalArgumentException("burstLimit must be >= 0, was " + burstLimit);
    }
  }

  /** The burst a bucket enforces: a bucket needs room for at least one request. */
  public int effectiveBurst() {
    return Math.max(1, burstLimit);
  }

  /**
   * The part of this limit one gateway node enforces when {@code nodeCount} nodes share it: the
   * rate divided by the node count, and the effective burst divided by the node count rounded down
   * but at least 1. Rounding down keeps the cluster's combined burst within the configured one; the
   * floor of 1 keeps every node able to serve a request, at the cost of a combined burst of up to
   * {@code nodeCount} when the configured burst is smaller than that.
   *
   * @throws IllegalArgumentException if {@code nodeCount < 1}
   */
  public ThrottleLimit shareFor(int nodeCount) {
    if (nodeCount < 1) {
      throw new IllegalArgumentException("Node count must be >= 1, got " + nodeCount);
    }
    return new ThrottleLimit(rateLimit / nodeCount, Math.max(1, effectiveBurst() / nodeCount));
  }
}
