package dev.turnpike.gateway.throttle;

import java.util.Map;

/**
 * One node's observed demand over its last exchange period, as it publishes it with its heartbeat:
 * the requests per second each of its hottest keys saw (admitted or not), by limiter.
 *
 * @param nodeId the node that saw the traffic
 * @param truncated true when the node saw more keys than it reports: a key it left out may still
 *     have (less) traffic there, so that node enforces the even share for it
 * @param totalRate the requests per second all its keys saw together, reported ones or not
 * @param rates requests per second by limiter id, then by key; only keys that saw traffic
 */
public record DemandReport(
    String nodeId, boolean truncated, double totalRate, Map<String, Map<String, Double>> rates) {

  public DemandReport {
    rates = Map.copyOf(rates);
  }

  /** A node that has seen nothing (or does not tell). */
  public static DemandReport none(String nodeId) {
    return new DemandReport(nodeId, false, 0, Map.of());
  }

  /** The rate {@code key} saw under limiter {@code limiterId}, 0 when not reported. */
  public double rate(String limiterId, String key) {
    Map<String, Double> keys = rates.get(limiterId);
    Double rate = keys == null ? null : keys.get(key);
    return rate == null ? 0 : rate;
  }

  /** How many keys the report holds, over all limiters. */
  public int keyCount() {
    return rates.values().stream().mapToInt(Map::size).sum();
  }
}
