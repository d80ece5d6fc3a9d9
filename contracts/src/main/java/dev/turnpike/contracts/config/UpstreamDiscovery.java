package dev.turnpike.contracts.config;

/**
 * Targets found in DNS, as Kubernetes services and Consul publish them: every A and AAAA address of
 * {@code hostname} becomes a target {@code scheme://address:port} of weight {@code weight}, and
 * each gateway node re-resolves the name every {@code refreshSeconds} (Vert.x's DNS client does not
 * expose the records' TTL, so the owner states how long they live).
 */
public record UpstreamDiscovery(
    String hostname, int port, String scheme, int weight, int refreshSeconds) {
  public static final int MAX_REFRESH_SECONDS = 3600;
}
