package dev.turnpike.gateway.throttle;

import java.util.HashMap;
import java.util.Map;

/**
 * Each key's fraction of its cluster-wide limit on this node, from the demand every live node last
 * reported (docs/cluster-membership.md, "Shares by observed traffic"): a node takes a key's limit
 * in proportion to the share of the key's requests it sees, so a client pinned to one node gets the
 * whole limit there and a key split 3:1 between two nodes is shared 0.75 / 0.25.
 *
 * <ul>
 *   <li>This node reported the key: its rate over the rates of every node that reported it, times
 *       what the nodes that may enforce the even share for it leave (a node that truncated its
 *       report and left the key out), and at least the floor.
 *   <li>Others reported it and this node did not, with a complete report (it saw no request for the
 *       key): the floor, {@link #FLOOR} of the even share, so a node the client turns to admits
 *       some at once and reports its demand at the next exchange.
 *   <li>Nobody reported it, or this node truncated its report and left it out: NaN, the even 1/N.
 * </ul>
 *
 * With every node computing from the same reports, the shares of a key add up to at most the limit
 * plus the floors, {@code 1 + FLOOR}, and to exactly 1 when no node sits at the floor.
 */
public final class DemandShares {
  /** A node's share of a key it sees no traffic for, as a fraction of the even share 1/N. */
  public static final double FLOOR = 0.1;

  /** The most keys a node reports: its hottest, by requests per second. */
  public static final int TOP_KEYS = 1_000;

  /** Per limiter and key, what the other nodes reported. */
  private record Others(double rate, int truncatedReporters) {
    Others plus(double more, boolean truncated) {
      return new Others(rate + more, truncatedReporters + (truncated ? 1 : 0));
    }
  }

  private final int nodeCount;
  private final DemandReport own;
  private final int truncatedOthers;
  private final Map<String, Map<String, Others>> others = new HashMap<>();

  /**
   * @param nodeCount the live nodes, this one included
   * @param own this node's last report (what it published)
   * @param othersReports the other live nodes' last reports
   */
  public DemandShares(int nodeCount, DemandReport own, Iterable<DemandReport> othersReports) {
    this.nodeCount = Math.max(1, nodeCount);
    this.own = own;
    int truncated = 0;
    for (DemandReport report : othersReports) {
      truncated += report.truncated() ? 1 : 0;
      report
          .rates()
          .forEach(
              (limiterId, keys) -> {
                Map<String, Others> byKey =
                    others.computeIfAbsent(limiterId, id -> new HashMap<>());
                keys.forEach(
                    (key, rate) ->
                        byKey.merge(
                            key,
                            new Others(rate, report.truncated() ? 1 : 0),
                            (before, more) ->
                                before.plus(more.rate(), more.truncatedReporters() > 0)));
              });
    }
    this.truncatedOthers = truncated;
  }

  /** The fraction of the cluster limit this node enforces for {@code key}, NaN for the even one. */
  public double fraction(String limiterId, String key) {
    Map<String, Others> byKey = others.get(limiterId);
    Others reported = byKey == null ? null : byKey.get(key);
    double ownRate = own.rate(limiterId, key);
    double floor = FLOOR / nodeCount;
    if (ownRate > 0) {
      double othersRate = reported == null ? 0 : reported.rate();
      int silentTruncated =
          truncatedOthers - (reported == null ? 0 : reported.truncatedReporters());
      // Nodes that left the key out of a truncated report enforce 1/N for it themselves.
      double left = 1 - (double) silentTruncated / nodeCount;
      return Math.max(floor, left * ownRate / (ownRate + othersRate));
    }
    if (reported != null && !own.truncated()) {
      return floor;
    }
    return Double.NaN;
  }

  public int nodeCount() {
    return nodeCount;
  }
}
