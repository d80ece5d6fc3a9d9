package dev.turnpike.contracts.config;

/**
 * An upstream's active health check: each gateway node sends {@code GET path} to every target every
 * {@code intervalMillis}; a target answering 2xx/3xx within {@code timeoutMillis} passes.
 *
 * @param healthyThreshold consecutive passes that make an unhealthy target healthy again
 * @param unhealthyThreshold consecutive failures that make a healthy target unhealthy
 */
public record UpstreamHealthCheck(
    String path,
    int intervalMillis,
    int timeoutMillis,
    int healthyThreshold,
    int unhealthyThreshold) {
  public static final int MIN_INTERVAL_MILLIS = 1_000;
  public static final int MAX_INTERVAL_MILLIS = 300_000;
  public static final int MIN_TIMEOUT_MILLIS = 50;
  public static final int MAX_THRESHOLD = 10;
}
