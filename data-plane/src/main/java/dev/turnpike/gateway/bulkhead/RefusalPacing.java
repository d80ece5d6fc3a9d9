package dev.turnpike.gateway.bulkhead;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the refusals of a tenant that floods a shared node with requests the gateway turns away. A
 * refusal (a 429, a bad key, an unknown route) is cheap but not free, about 20 us of the node's CPU
 * each, so a client that sends its next request as soon as the last is answered can take a whole
 * core with refusals alone while the other tenants on that core wait behind them.
 *
 * <p>A tenant's refusals are answered at {@link RefusalPacingSettings#perSecond} a second at most,
 * after a burst of as many at once; a refusal past that waits its turn and is then answered as it
 * would have been. Such a client's requests then come no faster than their answers: its refusals
 * cost the node a bounded share of a core, whatever it sends. Requests that are let through are
 * never held, and while the pace exceeds the tenant's own limit on the node a closed-loop client
 * still gets its whole limit. Other tenants are not touched.
 *
 * <p>A generic cell rate algorithm per tenant, on one atomic: each refusal takes the next slot, so
 * the event loops share it without a lock. The choice of how long to hold is here; the holding
 * itself is the request chain's.
 */
public final class RefusalPacing {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalPacing.class);

  /** Tenants with nothing held and no refusal for this long are forgotten by {@link #evictIdle}. */
  private static final long IDLE_NANOS = Duration.ofMinutes(1).toNanos();

  private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  private final RefusalPacingSettings settings;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final long burstNanos;
  private final Map<String, TenantRefusals> byTenant = new ConcurrentHashMap<>();
  private final AtomicLong heldTotal = new AtomicLong();

  /**
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} on a node)
   */
  public RefusalPacing(RefusalPacingSettings settings, LongSupplier nanoClock) {
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.intervalNanos = settings.enabled() ? 1_000_000_000L / settings.perSecond() : 0;
    this.burstNanos = intervalNanos * settings.perSecond();
  }

  /** Pacing turned off: every refusal answered at once. */
  public static RefusalPacing off() {
    return new RefusalPacing(RefusalPacingSettings.OFF, System::nanoTime);
  }

  /**
   * Counts one of {@code tenantId}'s refusals and says how long to hold it, in milliseconds: 0 to
   * answer it now. Every positive answer must be followed by {@link #released} once the refusal is
   * answered or its client gone.
   */
  public long holdMillis(String tenantId) {
    if (!settings.enabled()) {
      return 0;
    }
    TenantRefusals refusals = byTenant.computeIfAbsent(tenantId, id -> new TenantRefusals());
    long now = nanoClock.getAsLong();
    if (refusals.held.get() >= settings.maxHeld()) {
      // Full: answered now, and no slot taken, so the pace of those held does not slip further.
      return 0;
    }
    long waitNanos = refusals.takeSlot(now, intervalNanos, burstNanos);
    // Under a millisecond is not worth a timer: the pace is kept by the slots either way.
    long holdMillis = waitNanos / 1_000_000;
    if (holdMillis == 0) {
      return 0;
    }
    refusals.held.incrementAndGet();
    heldTotal.incrementAndGet();
    if (refusals.shouldLog(now)) {
      LOG.warn(
          "tenant {} was refused more than {} requests a second on this node: its further"
              + " refusals are paced to that rate",
          tenantId,
          settings.perSecond());
    }
    return holdMillis;
  }

  /** A held refusal of {@code tenantId} was answered, or its client gone. */
  public void released(String tenantId) {
    TenantRefusals refusals = byTenant.get(tenantId);
    if (refusals != null) {
      refusals.held.decrementAndGet();
    }
  }

  /** How many of {@code tenantId}'s refusals are held now. */
  public int held(String tenantId) {
    TenantRefusals refusals = byTenant.get(tenantId);
    return refusals == null ? 0 : refusals.held.get();
  }

  /** How many refusals this node has held since it started. */
  public long heldTotal() {
    return heldTotal.get();
  }

  /** How many refusals are held now, all tenants together. */
  public int heldNow() {
    int held = 0;
    for (TenantRefusals refusals : byTenant.values()) {
      held += refusals.held.get();
    }
    return held;
  }

  /** Forgets tenants with nothing held and no refusal for a minute, as tenants come and go. */
  public void evictIdle() {
    long idleBefore = nanoClock.getAsLong() - IDLE_NANOS;
    byTenant.values().removeIf(refusals -> refusals.idleSince(idleBefore));
  }

  /** One tenant's refusals on this node: when its next refusal may be answered, and those held. */
  private static final class TenantRefusals {
    /** The theoretical arrival time of the next refusal, in the clock's nanoseconds. */
    private final AtomicLong nextSlot = new AtomicLong(Long.MIN_VALUE);

    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE);

    /** Takes the next slot and returns how long until it, less the burst: 0 for now. */
    long takeSlot(long now, long interval, long burst) {
      while (true) {
        long slot = nextSlot.get();
        long start = slot == Long.MIN_VALUE || slot - now < 0 ? now : slot;
        if (nextSlot.compareAndSet(slot, start + interval)) {
          return Math.max(0, start + interval - burst - now);
        }
      }
    }

    /** At most one line a minute per tenant, however long it floods. */
    boolean shouldLog(long now) {
      long last = loggedAt.get();
      return (last == Long.MIN_VALUE || now - last >= LOG_EVERY_NANOS)
          && loggedAt.compareAndSet(last, now);
    }

    boolean idleSince(long before) {
      long slot = nextSlot.get();
      return held.get() == 0 && (slot == Long.MIN_VALUE || slot - before < 0);
    }
  }
}
