package dev.turnpike.gateway.upstream;

import dev.turnpike.egress.HostPort;
import dev.turnpike.settings.SettingsReader;

/**
 * A node's limits for upstream targets: the circuit breaker's and the retry budget's. The same on
 * every node, so they are settings, not part of an owner's upstream.
 *
 * @param breakerFailures consecutive failures (connection errors, timeouts, 5xx) that open a
 *     target's breaker
 * @param breakerCooldownMillis how long an open breaker refuses requests before it lets one probe
 *     request through (half-open)
 * @param retryRatio retries allowed as a share of an upstream's requests over the budget window
 * @param minRetriesPerSecond retries always allowed per second, so a quiet upstream can retry too
 * @param budgetWindowSeconds the sliding window the budget counts over
 * @param dnsServer the DNS server discovery asks; null for the node's first resolver
 */
public record UpstreamSettings(
    int breakerFailures,
    long breakerCooldownMillis,
    double retryRatio,
    int minRetriesPerSecond,
    int budgetWindowSeconds,
    HostPort dnsServer) {
  public static final UpstreamSettings DEFAULTS = new UpstreamSettings(5, 10_000, 0.2, 5, 10);

  /** Settings whose discovery asks the node's first resolver. */
  public UpstreamSettings(
      int breakerFailures,
      long breakerCooldownMillis,
      double retryRatio,
      int minRetriesPerSecond,
      int budgetWindowSeconds) {
    this(
        breakerFailures,
        breakerCooldownMillis,
        retryRatio,
        minRetriesPerSecond,
        budgetWindowSeconds,
        null);
  }

  /** The settings from {@code TURNPIKE_GATEWAY_UPSTREAM_*}, with the defaults above. */
  public static UpstreamSettings read(SettingsReader read) {
    double ratio = read.decimal("TURNPIKE_GATEWAY_UPSTREAM_RETRY_RATIO", 0.2, 0);
    if (ratio > 1) {
      read.problem("TURNPIKE_GATEWAY_UPSTREAM_RETRY_RATIO must be 0 to 1, got " + ratio);
      ratio = 1;
    }
    return new UpstreamSettings(
        read.integer("TURNPIKE_GATEWAY_UPSTREAM_BREAKER_FAILURES", 5, 1, 1000),
        read.integer("TURNPIKE_GATEWAY_UPSTREAM_BREAKER_COOLDOWN_MS", 10_000, 1, 3_600_000),
        ratio,
        read.integer("TURNPIKE_GATEWAY_UPSTREAM_MIN_RETRIES_PER_SECOND", 5, 0, 10_000),
        10,
        dnsServer(read));
  }

  private static HostPort dnsServer(SettingsReader read) {
    String value = read.optional("TURNPIKE_GATEWAY_UPSTREAM_DNS_SERVER");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return HostPort.parse(value.strip());
    } catch (IllegalArgumentException e) {
      read.problem("TURNPIKE_GATEWAY_UPSTREAM_DNS_SERVER must be host:port: " + e.getMessage());
      return null;
    }
  }

  public UpstreamSettings {
    if (breakerFailures < 1) {
      throw new IllegalArgumentException("upstream breaker failures must be >= 1");
    }
    if (breakerCooldownMillis < 1) {
      throw new IllegalArgumentException("upstream breaker cool-down must be >= 1 ms");
    }
    if (retryRatio < 0 || retryRatio > 1) {
      throw new IllegalArgumentException("upstream retry ratio must be 0 to 1");
    }
    if (minRetriesPerSecond < 0) {
      throw new IllegalArgumentException("upstream minimum retries per second must be >= 0");
    }
    if (budgetWindowSeconds < 1 || budgetWindowSeconds > 60) {
      throw new IllegalArgumentException("upstream retry budget window must be 1 to 60 s");
    }
  }
}
