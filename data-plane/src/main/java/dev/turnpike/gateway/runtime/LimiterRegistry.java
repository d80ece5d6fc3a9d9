package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.throttle.GcraLimiter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps throttle state across config swaps: a limiter is identified by what it limits and its
 * limit, so a redeploy that keeps a limit keeps its buckets, and a changed limit starts fresh.
 * Every limit is this node's share of the cluster-wide limit, among as many nodes as {@link
 * #nodeCount(int)} last said: a change of the cluster's size re-shares every limiter in place.
 */
public final class LimiterRegistry {
  /** Written under the registry's lock, so a limiter never keeps a count older than the latest. */
  private volatile int nodeCount;

  private final ConcurrentHashMap<String, GcraLimiter> limiters = new ConcurrentHashMap<>();

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

  /** How many nodes the limits are shared among now. */
  public int nodeCount() {
    return nodeCount;
  }

  /** The limiter for {@code scope} under {@code limit}; null limit means unlimited (null). */
  GcraLimiter limiter(String scope, ThrottleLimit limit, Set<String> inUse) {
    if (limit == null) {
      return null;
    }
    // Limits that enforce the same (a burst of 0 enforces as 1) share one limiter.
    String id = scope + "@" + limit.rateLimit() + "/" + limit.effectiveBurst();
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
