package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.throttle.DemandReport;
import dev.turnpike.gateway.throttle.DemandShares;
import dev.turnpike.gateway.throttle.GcraLimiter;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps throttle state across config swaps: a limiter is identified by what it limits and its
 * limit, so a redeploy that keeps a limit keeps its buckets, and a changed limit starts fresh.
 * Every limit is this node's share of the cluster-wide limit, among as many nodes as {@link
 * #nodeCount(int)} last said: a change of the cluster's size re-shares every limiter in place. With
 * the nodes exchanging their traffic ({@link #sampleDemand}, {@link #shareByDemand}), each key's
 * share follows the part of its requests this node sees instead.
 */
public final class LimiterRegistry {
  /** Written under the registry's lock, so a limiter never keeps a count older than the latest. */
  private volatile int nodeCount;

  private final ConcurrentHashMap<String, GcraLimiter> limiters = new ConcurrentHashMap<>();

  /** When the demand was last sampled; only the exchange's thread reads and writes it. */
  private long sampledAtNanos = System.nanoTime();

  private record Seen(String limiterId, String key, long count) {}

  public LimiterRegistry(int nodeCount) {
    if (nodeCount < 1) {
      throw new IllegalArgumentException("nodeCount must be >= 1, was " + nodeCount);
    }
    this.nodeCount = nodeCount;
  }

  /**
   * Shares every limit, the present ones and those made later, among {@code nodeCount} nodes from
   * now on. Keys keep their buckets (see {@link GcraLimiter#shareAcross}).
   */
  public synchronized void nodeCount(int nodeCount) {
    if (nodeCount < 1) {
      throw new IllegalArgumentException("nodeCount must be >= 1, was " + nodeCount);
    }
    this.nodeCount = nodeCount;
    for (GcraLimiter limiter : limiters.values()) {
      limiter.shareAcross(nodeCount);
    }
  }

  /**
   * This node's demand since the last call, as the heartbeat carries it: requests per second of its
   * {@link DemandShares#TOP_KEYS} hottest keys over all limiters, and of all its keys together.
   * Starts the counts afresh. Called by one thread (the traffic exchange's).
   */
  public DemandReport sampleDemand(String nodeId, long nowNanos) {
    double seconds = Math.max(1e-3, (nowNanos - sampledAtNanos) / 1e9);
    sampledAtNanos = nowNanos;
    PriorityQueue<Seen> hottest = new PriorityQueue<>(Comparator.comparingLong(Seen::count));
    long[] total = {0};
    boolean[] truncated = {false};
    limiters.forEach(
        (id, limiter) ->
            limiter.drainDemand(
                (key, count) -> {
                  total[0] += count;
                  hottest.add(new Seen(id, key, count));
                  if (hottest.size() > DemandShares.TOP_KEYS) {
                    hottest.poll();
                    truncated[0] = true;
                  }
                }));
    Map<String, Map<String, Double>> rates = new HashMap<>();
    for (Seen seen : hottest) {
      rates
          .computeIfAbsent(seen.limiterId(), id -> new HashMap<>())
          .put(seen.key(), seen.count() / seconds);
    }
    return new DemandReport(nodeId, truncated[0], total[0] / seconds, rates);
  }

  /**
   * Shares each key of every limiter by the demand the live nodes reported ({@link DemandShares}):
   * this node's own last report and the other live nodes' latest ones. Keys nobody reported keep
   * the even share among {@code nodeCount} nodes; keys first seen later take theirs when made.
   */
  public synchronized void shareByDemand(
      int nodeCount, DemandReport own, Collection<DemandReport> others) {
    nodeCount(nodeCount);
    DemandShares shares = new DemandShares(nodeCount, own, List.copyOf(others));
    for (Map.Entry<String, GcraLimiter> entry : limiters.entrySet()) {
      String id = entry.getKey();
      entry.getValue().shareByKey(key -> shares.fraction(id, key));
    }
  }

  /** How many nodes the limits are shared among now. */
  public int nodeCount() {
    return nodeCount;
  }

  /** The limiter for {@code scope} under {@code limit}; null limit means unlimited (null). */
  GcraLimiter limiter(String scope, ThrottleLimit limit, Set<String> inUse) {
    if (limit == null) {
      return null;
    }
    String id = limiterId(scope, limit);
    inUse.add(id);
    GcraLimiter limiter =
        limiters.computeIfAbsent(id, ignored -> GcraLimiter.sharedAcross(limit, nodeCount));
    // A limiter made while the count changed may hold the old one; under the lock it takes the
    // latest (configs compile off the request path, so the lock costs no request anything).
    synchronized (this) {
      limiter.shareAcross(nodeCount);
    }
    return limiter;
  }

  /**
   * The limiter's id: the same on every node with the same config, so the nodes' demand reports
   * name the same limiters. Limits that enforce the same (a burst of 0 enforces as 1) share one.
   */
  static String limiterId(String scope, ThrottleLimit limit) {
    return scope + "@" + limit.rateLimit() + "/" + limit.effectiveBurst();
  }

  /** Forgets limiters the current config no longer references, by the ids {@link #limiter} gave. */
  void forget(Collection<String> unused) {
    unused.forEach(limiters::remove);
  }

  /** Drops idle per-key state so memory follows active keys, not all keys ever seen. */
  public int evictIdle(long nowNanos) {
    int evicted = 0;
    for (GcraLimiter limiter : limiters.values()) {
      evicted += limiter.evictIdle(nowNanos);
    }
    return evicted;
  }

  public int size() {
    return limiters.size();
  }
}
