package dev.turnpike.gateway.throttle;

import dev.turnpike.contracts.config.ThrottleLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;
import java.util.function.ToDoubleFunction;

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
 * stay valid (a new share only changes how far ahead of now they may run). A key may also have a
 * share of its own, set from the traffic the nodes observe ({@link #shareByKey}); keys without one
 * take the even share. Each key counts the requests it sees ({@link #drainDemand}) with one
 * increment on its state, so the traffic exchange costs the request path no lookup. Time is passed
 * in as nanoseconds from a monotonic clock ({@link System#nanoTime()} in production) so that tests
 * are deterministic.
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
      double fraction,
      boolean blocksEverything,
      long emissionIntervalNanos,
      long toleranceNanos) {

    static Share of(ThrottleLimit clusterLimit, int nodeCount) {
      return of(clusterLimit.shareFor(nodeCount), nodeCount, 1.0 / nodeCount);
    }

    /**
     * A key's own fraction of the cluster limit: the rate times the fraction, the burst times the
     * fraction rounded down but at least 1 (as {@link ThrottleLimit#shareFor} does for 1/N).
     */
    static Share ofFraction(ThrottleLimit clusterLimit, int nodeCount, double fraction) {
      ThrottleLimit limit =
          new ThrottleLimit(
              clusterLimit.rateLimit() * fraction,
              Math.max(1, (int) Math.floor(clusterLimit.effectiveBurst() * fraction)));
      return of(limit, nodeCount, fraction);
    }

    private static Share of(ThrottleLimit limit, int nodeCount, double fraction) {
      boolean blocksEverything = limit.rateLimit() == 0;
      long interval = blocksEverything ? MAX_SPAN_NANOS : intervalNanos(limit);
      return new Share(
          limit,
          nodeCount,
          fraction,
          blocksEverything,
          interval,
          saturatedProduct(limit.effectiveBurst() - 1, interval));
    }
  }

  /** Fractions closer than this to a key's current one leave its share as it is. */
  private static final double FRACTION_STEP = 0.001;

  /** For keys the traffic exchange knows nothing about: the even share. */
  private static final ToDoubleFunction<String> EVEN = key -> Double.NaN;

  /**
   * A key's state: its theoretical arrival time (the value), the requests it has seen since the
   * traffic exchange last took the count, and its own share when the exchange gave it one.
   */
  private static final class KeyState {
    private static final VarHandle TAT;
    private static final VarHandle SEEN;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        TAT = lookup.findVarHandle(KeyState.class, "tat", long.class);
        SEEN = lookup.findVarHandle(KeyState.class, "seen", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long tat;

    @SuppressWarnings("unused") // through SEEN
    private volatile long seen;

    /** Null: the limiter's even share. */
    private volatile Share share;

    KeyState(long tat, Share share) {
      this.tat = tat;
      this.share = share;
    }

    long get() {
      return tat;
    }

    boolean compareAndSet(long expected, long next) {
      return TAT.compareAndSet(this, expected, next);
    }

    void countRequest() {
      SEEN.getAndAdd(this, 1L);
    }

    long drainSeen() {
      return (long) SEEN.getAndSet(this, 0L);
    }
  }

  private final ThrottleLimit clusterLimit;
  private volatile Share share;

  /** The fraction of the cluster limit per key (NaN: the even share), for keys made from now on. */
  private volatile ToDoubleFunction<String> fractions = EVEN;

  private final Map<String, KeyState> theoreticalArrivals = new ConcurrentHashMap<>();

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

  /**
   * Gives each key, the present ones and those first seen from now on, its own fraction of the
   * cluster limit: {@code fractionOf} answers a fraction in (0, 1], or NaN for the even share among
   * {@link #nodeCount()} nodes. As with {@link #shareAcross}, keys keep their buckets. Called off
   * the request path (the traffic exchange's thread); {@code fractionOf} must be safe to call from
   * the event loops too, as keys first seen later ask it.
   */
  public void shareByKey(ToDoubleFunction<String> fractionOf) {
    fractions = fractionOf;
    int nodeCount = share.nodeCount();
    for (Map.Entry<String, KeyState> entry : theoreticalArrivals.entrySet()) {
      KeyState state = entry.getValue();
      state.share = ownShare(state.share, fractionOf.applyAsDouble(entry.getKey()), nodeCount);
    }
  }

  /**
   * Hands each key's count of requests seen since the last call (admitted or not) to {@code sink},
   * for keys that saw any, and starts the counts afresh.
   */
  public void drainDemand(ObjLongConsumer<String> sink) {
    for (Map.Entry<String, KeyState> entry : theoreticalArrivals.entrySet()) {
      long seen = entry.getValue().drainSeen();
      if (seen > 0) {
        sink.accept(entry.getKey(), seen);
      }
    }
  }

  /** The part of the cluster limit this node enforces for {@code key} now. */
  public ThrottleLimit limitFor(String key) {
    KeyState state = theoreticalArrivals.get(key);
    Share own = state == null ? null : state.share;
    if (own == null) {
      double fraction = fractions.applyAsDouble(key);
      own = Double.isNaN(fraction) ? null : Share.ofFraction(clusterLimit, 1, fraction);
    }
    return own == null ? share.limit() : own.limit();
  }

  private Share ownShare(Share current, double fraction, int nodeCount) {
    if (Double.isNaN(fraction)) {
      return null;
    }
    double bounded = Math.min(1, Math.max(0, fraction));
    if (current != null
        && current.nodeCount() == nodeCount
        && Math.abs(current.fraction() - bounded) < FRACTION_STEP) {
      return current;
    }
    return Share.ofFraction(clusterLimit, nodeCount, bounded);
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
    Share even = share;
    if (even.blocksEverything()) {
      return Long.MAX_VALUE;
    }
    while (true) {
      KeyState arrival = stateFor(key, nowNanos);
      long tat = arrival.get();
      if (tat == EVICTED) {
        theoreticalArrivals.remove(key, arrival);
        continue;
      }
      Share own = arrival.share;
      Share current = own == null ? even : own;
      // Differences, not comparisons, so the arithmetic holds wherever the clock's origin lies.
      long backlog = Math.max(0, tat - nowNanos);
      if (backlog > current.toleranceNanos()) {
        arrival.countRequest();
        return backlog - current.toleranceNanos();
      }
      if (arrival.compareAndSet(tat, nowNanos + backlog + current.emissionIntervalNanos())) {
        arrival.countRequest();
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
    for (Map.Entry<String, KeyState> entry : theoreticalArrivals.entrySet()) {
      KeyState arrival = entry.getValue();
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

  private KeyState stateFor(String key, long nowNanos) {
    KeyState arrival = theoreticalArrivals.get(key);
    if (arrival != null) {
      return arrival;
    }
    // A TAT of now is an empty backlog: the full burst is available to a new key. A key other
    // nodes reported takes the share the last exchange gave it at once, not the even one.
    return theoreticalArrivals.computeIfAbsent(
        key,
        unused ->
            new KeyState(
                nowNanos, ownShare(null, fractions.applyAsDouble(key), share.nodeCount())));
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
