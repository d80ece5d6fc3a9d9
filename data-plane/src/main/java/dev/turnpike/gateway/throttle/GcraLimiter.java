package dev.turnpike.gateway.throttle;

import dev.turnpike.contracts.config.ThrottleLimit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limiting per key with the Generic Cell Rate Algorithm: a token bucket kept as one number per
 * key, the theoretical arrival time (TAT) of the next request at the steady rate. A request is
 * admitted when the TAT is at most {@code (burst - 1)} emission intervals ahead of now, and then
 * pushes the TAT one interval further.
 *
 * <p>The read-modify-write of a key's TAT is a compare-and-set loop, so admitting takes no lock and
 * concurrent requests never lose an update. The node's share of the cluster-wide limit can change
 * while requests run ({@link #shareAcross}): the interval and the tolerance live in one immutable
 * {@link Share} read once per request, so a request sees one share whole, and the TATs already kept
 * stay valid (a new share only changes how far ahead of now they may run). Time is passed in as
 * nanoseconds from a monotonic clock ({@link System#nanoTime()} in production) so that tests are
 * deterministic.
 */
public final class GcraLimiter {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * Caps the emission interval and the burst window ({@code (burst - 1) * interval}) so that {@code
   * now + window + interval} cannot overflow. 2^61 ns is about 73 years: a rate slower than one
   * request in 73 years is treated as exactly that, and a burst whose window would be longer is cut
   * to the requests that fit in 73 years, both far beyond any meaningful configuration.
   */
  private static final long MAX_SPAN_NANOS = 1L << 61;

  /**
   * Marks a state the evictor has claimed. A TAT is {@code now} plus a bounded span, so it reaches
   * this value only for a clock reading within 2^62 ns of {@code Long.MIN_VALUE}, which no real
   * monotonic clock produces.
   */
  private static final long EVICTED = Long.MIN_VALUE;

  /**
   * What this node enforces now: its share of the cluster limit, with the derived numbers the hot
   * path needs, so that one volatile read gives a consistent set.
   */
  private record Share(
      ThrottleLimit limit,
      int nodeCount,
      boolean blocksEverything,
      long emissionIntervalNanos,
      long toleranceNanos) {

    static Share of(ThrottleLimit clusterLimit, int nodeCount) {
      ThrottleLimit limit = clusterLimit.shareFor(nodeCount);
      boolean blocksEverything = limit.rateLimit() == 0;
      long interval = blocksEverything ? MAX_SPAN_NANOS : intervalNanos(limit);
      return new Share(
          limit,
          nodeCount,
          blocksEverything,
          interval,
          saturatedProduct(limit.effectiveBurst() - 1, interval));
    }
  }

  private final ThrottleLimit clusterLimit;
  private volatile Share share;
  private final Map<String, AtomicLong> theoreticalArrivals = new ConcurrentHashMap<>();

  /** A limiter that enforces {@code limit} whole, as the only node. */
  public GcraLimiter(ThrottleLimit limit) {
    this(limit, 1);
  }

  private GcraLimiter(ThrottleLimit clusterLimit, int nodeCount) {
    this.clusterLimit = clusterLimit;
    this.share = Share.of(clusterLimit, nodeCount);
  }

  /** A limiter for one of {@code nodeCount} nodes that together enforce {@code clusterLimit}. */
  public static GcraLimiter sharedAcross(ThrottleLimit clusterLimit, int nodeCount) {
    return new GcraLimiter(clusterLimit, nodeCount);
  }

  /**
   * Enforces from now on this node's share of the cluster limit among {@code nodeCount} nodes. Keys
   * keep their state: one that has run ahead under a larger share waits until it is within the new,
   * smaller tolerance; one under a smaller share may at once use the larger one.
   *
   * @throws IllegalArgumentException if {@code nodeCount < 1}
   */
  public void shareAcross(int nodeCount) {
    if (share.nodeCount() != nodeCount) {
      share = Share.of(clusterLimit, nodeCount);
    }
  }

  /** Admits a request for {@code key} at {@code nowNanos} if the limit allows it. */
  public boolean tryAcquire(String key, long nowNanos) {
    return acquireOrWaitNanos(key, nowNanos) == 0;
  }

  /**
   * Admits a request for {@code key} at {@code nowNanos} if the limit allows it.
   *
   * @return 0 if admitted, otherwise how long until a request would be admitted (the value for a
   *     Retry-After header); {@link Long#MAX_VALUE} when the rate is 0
   */
  public long acquireOrWaitNanos(String key, long nowNanos) {
    Share current = share;
    if (current.blocksEverything()) {
      return Long.MAX_VALUE;
    }
    long toleranceNanos = current.toleranceNanos();
    long emissionIntervalNanos = current.emissionIntervalNanos();
    while (true) {
      AtomicLong arrival = stateFor(key, nowNanos);
      long tat = arrival.get();
      if (tat == EVICTED) {
        theoreticalArrivals.remove(key, arrival);
        continue;
      }
      // Differences, not comparisons, so the arithmetic holds wherever the clock's origin lies.
      long backlog = Math.max(0, tat - nowNanos);
      if (backlog > toleranceNanos) {
        return backlog - toleranceNanos;
      }
      if (arrival.compareAndSet(tat, nowNanos + backlog + emissionIntervalNanos)) {
        return 0;
      }
    }
  }

  /**
   * Forgets the keys whose bucket has refilled completely, which behave exactly like keys never
   * seen, so memory stays proportional to the keys active within the last burst window. Safe to
   * call concurrently with {@link #acquireOrWaitNanos}, e.g. from a periodic timer.
   *
   * @return how many keys were forgotten
   */
  public int evictIdle(long nowNanos) {
    int evicted = 0;
    for (Map.Entry<String, AtomicLong> entry : theoreticalArrivals.entrySet()) {
      AtomicLong arrival = entry.getValue();
      long tat = arrival.get();
      // Claiming the state first means a request racing with eviction either updates it before
      // the claim (and the claim fails) or sees EVICTED and starts a fresh state: none is lost.
      if (tat != EVICTED && tat - nowNanos <= 0 && arrival.compareAndSet(tat, EVICTED)) {
        theoreticalArrivals.remove(entry.getKey(), arrival);
        evicted++;
      }
    }
    return evicted;
  }

  /** How many keys currently hold state. */
  public int trackedKeys() {
    return theoreticalArrivals.size();
  }

  /** The part of the cluster limit this node enforces now. */
  public ThrottleLimit limit() {
    return share.limit();
  }

  /** The limit all the nodes together enforce. */
  public ThrottleLimit clusterLimit() {
    return clusterLimit;
  }

  /** How many nodes the cluster limit is shared across now. */
  public int nodeCount() {
    return share.nodeCount();
  }

  private AtomicLong stateFor(String key, long nowNanos) {
    AtomicLong arrival = theoreticalArrivals.get(key);
    if (arrival != null) {
      return arrival;
    }
    // A TAT of now is an empty backlog: the full burst is available to a new key.
    return theoreticalArrivals.computeIfAbsent(key, unused -> new AtomicLong(nowNanos));
  }

  private static long intervalNanos(ThrottleLimit limit) {
    double nanos = NANOS_PER_SECOND / limit.rateLimit();
    // Faster than one request per nanosecond cannot be told apart at this clock's resolution.
    return Math.max(1, Math.round(Math.min(nanos, MAX_SPAN_NANOS)));
  }

  private static long saturatedProduct(long count, long intervalNanos) {
    if (count == 0) {
      return 0;
    }
    return intervalNanos > MAX_SPAN_NANOS / count ? MAX_SPAN_NANOS : count * intervalNanos;
  }
}
