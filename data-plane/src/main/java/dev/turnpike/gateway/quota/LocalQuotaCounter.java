package dev.turnpike.gateway.quota;

import dev.turnpike.contracts.config.QuotaWindow;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway node's view of each key's quota: the last authoritative count from metering plus the
 * requests this node admitted since, which metering has not yet counted. A request is admitted iff
 * metering has not marked the window exceeded and {@code authoritative + local < limit}.
 *
 * <p>Metering counts the requests of every node, so when a newer count arrives its growth is
 * credited against this node's local count first. With one node this is exact; with several it can
 * undercount by the requests this node admitted that metering has not seen yet, which bounds the
 * overshoot to the events in flight, as the architecture accepts.
 *
 * <p>Admitting is a compare-and-set on the key's local count with no lock; only a window change and
 * an authoritative update, both rare, replace the key's state through {@link
 * ConcurrentHashMap#compute}. A request racing with an update may be judged against the previous
 * count, which can admit one request more than an exact count would.
 */
public final class LocalQuotaCounter {

  private final Map<String, WindowCount> counts = new ConcurrentHashMap<>();
  // Every key's state in a period has the same window: one instance for all (a node may hold a
  // million). Racy on purpose: a window is immutable, and a lost race only costs a duplicate.
  private Window lastWindow;

  /**
   * Counts a request for {@code keyId} at {@code nowEpochMillis} if its quota allows it.
   *
   * @return true if admitted; false means the quota is exhausted (429 {@code Limit Exceeded})
   */
  public boolean tryAcquire(String keyId, QuotaPolicy policy, long nowEpochMillis) {
    WindowCount count = counts.get(keyId);
    if (count == null || !count.covers(nowEpochMillis)) {
      count = currentCount(keyId, policy, nowEpochMillis);
    }
    if (count.exceeded) {
      return false;
    }
    long limit = policy.limitForWindowStartingAt(count.window.startMillis());
    return count.tryCountLocally(limit - count.authoritativeUsed);
  }

  /**
   * Takes metering's count for a key. A count for an older window than the one held is stale and
   * ignored; one for a newer window replaces the state; one for the same window replaces the
   * authoritative count and the exceeded flag as they are (metering may lower the count, e.g. when
   * an owner grants extra requests).
   */
  public void apply(QuotaStateUpdate update) {
    long updateStart = update.window().start().toEpochMilli();
    counts.compute(
        update.keyId(),
        (keyId, held) -> {
          if (held == null || updateStart > held.window.startMillis()) {
            return WindowCount.fromAuthority(window(update.window()), update);
          }
          if (updateStart < held.window.startMillis()) {
            return held;
          }
          return held.withAuthority(update.used(), update.exceeded());
        });
  }

  /**
   * Forgets the keys whose window ended at or before {@code nowEpochMillis}; their next request
   * starts the new window anyway. Call periodically to bound memory by the keys active this period.
   *
   * @return how many keys were forgotten
   */
  public int evictExpired(long nowEpochMillis) {
    int evicted = 0;
    for (Map.Entry<String, WindowCount> entry : counts.entrySet()) {
      if (entry.getValue().window.endMillis() <= nowEpochMillis
          && counts.remove(entry.getKey(), entry.getValue())) {
        evicted++;
      }
    }
    return evicted;
  }

  /** How many keys currently hold state. */
  public int trackedKeys() {
    return counts.size();
  }

  private WindowCount currentCount(String keyId, QuotaPolicy policy, long nowEpochMillis) {
    QuotaWindow window = policy.windowContaining(Instant.ofEpochMilli(nowEpochMillis));
    long windowStart = window.start().toEpochMilli();
    // A held window later than ours comes from metering, whose clock is ahead of this node's near a
    // boundary: keep it rather than go back to a window metering has already closed.
    return counts.compute(
        keyId,
        (key, held) ->
            held != null && held.window.startMillis() >= windowStart
                ? held
                : WindowCount.empty(window(window)));
  }

  private Window window(QuotaWindow window) {
    long start = window.start().toEpochMilli();
    long end = window.end().toEpochMilli();
    Window last = lastWindow;
    if (last != null && last.startMillis() == start && last.endMillis() == end) {
      return last;
    }
    Window made = new Window(start, end);
    lastWindow = made;
    return made;
  }

  /** A quota window in epoch millis, shared by the states of every key in it. */
  private record Window(long startMillis, long endMillis) {}

  /** The state of one key in one window; only the local count changes in place. */
  private static final class WindowCount {

    final Window window;
    final long authoritativeUsed;
    final boolean exceeded;
    final AtomicLong localCount;

    private WindowCount(
        Window window, long authoritativeUsed, boolean exceeded, AtomicLong localCount) {
      this.window = window;
      this.authoritativeUsed = authoritativeUsed;
      this.exceeded = exceeded;
      this.localCount = localCount;
    }

    static WindowCount empty(Window window) {
      return new WindowCount(window, 0, false, new AtomicLong());
    }

    static WindowCount fromAuthority(Window window, QuotaStateUpdate update) {
      return new WindowCount(window, update.used(), update.exceeded(), new AtomicLong());
    }

    boolean covers(long epochMillis) {
      return epochMillis >= window.startMillis() && epochMillis < window.endMillis();
    }

    boolean tryCountLocally(long allowance) {
      while (true) {
        long counted = localCount.get();
        if (counted >= allowance) {
          return false;
        }
        if (localCount.compareAndSet(counted, counted + 1)) {
          return true;
        }
      }
    }

    WindowCount withAuthority(long used, boolean nowExceeded) {
      long newlyCounted = used - authoritativeUsed;
      if (newlyCounted > 0) {
        localCount.accumulateAndGet(newlyCounted, (local, covered) -> Math.max(0, local - covered));
      }
      return new WindowCount(window, used, nowExceeded, localCount);
    }
  }
}
