package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.gateway.throttle.GcraLimiter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps throttle state across config swaps: a limiter is identified by what it limits and its
 * limit, so a redeploy that keeps a limit keeps its buckets, and a changed limit starts fresh.
 * Every limit is this node's share of the cluster-wide limit.
 */
public final class LimiterRegistry {
  private final int nodeCount;
  private final ConcurrentHashMap<String, GcraLimiter> limiters = new ConcurrentHashMap<>();

  public LimiterRegistry(int nodeCount) {
    if (nodeCount < 1) {
      throw new IllegalArgumentException("nodeCount must be >= 1, was " + nodeCount);
    }
    this.nodeCount = nodeCount;
  }

  /** The limiter for {@code scope} under {@code limit}; null limit means unlimited (null). */
  GcraLimiter limiter(String scope, ThrottleLimit limit, Set<String> inUse) {
    if (limit == null) {
      return null;
    }
    // Limits that enforce the same (a burst of 0 enforces as 1) share one limiter.
    String id = scope + "@" + limit.rateLimit() + "/" + limit.effectiveBurst();
    inUse.add(id);
    return limiters.computeIfAbsent(id, ignored -> GcraLimiter.sharedAcross(limit, nodeCount));
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
