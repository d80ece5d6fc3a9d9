package dev.turnpike.gateway.throttle;

/**
 * A rate limit as API Gateway's usage plans and stages express it.
 *
 * @param ratePerSecond the steady-state rate; may be fractional (0.5 is one request per two
 *     seconds), 0 blocks every request
 * @param burst how many requests may arrive at once after a quiet period; at least 1
 */
public record ThrottleLimit(double ratePerSecond, int burst) {

  public ThrottleLimit {
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "Throttle rate must be a finite number >= 0, got " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("Throttle burst must be >= 1, got " + burst);
    }
  }

  /**
   * The part of this limit one gateway node enforces when {@code nodeCount} nodes share it: the
   * rate divided by the node count, and the burst divided by the node count rounded down but at
   * least 1. Rounding down keeps the cluster's combined burst within the configured one; the floor
   * of 1 keeps every node able to serve a request, at the cost of a combined burst of up to {@code
   * nodeCount} when the configured burst is smaller than that.
   *
   * @throws IllegalArgumentException if {@code nodeCount < 1}
   */
  public ThrottleLimit shareFor(int nodeCount) {
    if (nodeCount < 1) {
      throw new IllegalArgumentException("Node count must be >= 1, got " + nodeCount);
    }
    return new ThrottleLimit(ratePerSecond / nodeCount, Math.max(1, burst / nodeCount));
  }
}
