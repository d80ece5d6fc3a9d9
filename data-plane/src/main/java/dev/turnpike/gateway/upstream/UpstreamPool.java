package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import io.vertx.core.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One upstream of one deployed stage on this node: its targets with their state, the balancer and
 * the retry budget. Shared by the node's event loops; picking a target takes the pool's lock for a
 * few comparisons per target (at most {@link UpstreamConfig#MAX_TARGETS}).
 */
public final class UpstreamPool {
  private final UpstreamConfig config;
  private final IntegrationOwner owner;
  private final HttpClient client;
  private final EgressGuard guard;
  private final List<Target> fixed;
  private final UpstreamSettings settings;
  private final LongSupplier nanoClock;
  // The fixed targets and the ones DNS gave last; replaced whole, read without the lock.
  private volatile List<Target> targets;
  private final RetryBudget budget;
  private volatile boolean discoveryFailing;
  private final AtomicLong discoveryFailures = new AtomicLong();
  private int cursor;
  // Egress refusals are logged at most once per interval per upstream, so a client cannot flood
  // the owner's log.
  private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  UpstreamPool(
      UpstreamConfig config,
      IntegrationOwner owner,
      HttpClient client,
      EgressGuard guard,
      UpstreamSettings settings,
      LongSupplier nanoClock) {
    this.config = config;
    this.owner = owner;
    this.client = client;
    this.guard = guard;
    List<Target> built = new ArrayList<>();
    for (UpstreamTarget target : config.targets()) {
      built.add(
          new Target(
              target,
              new CircuitBreaker(
                  settings.breakerFailures(), settings.breakerCooldownMillis(), nanoClock)));
    }
    this.fixed = List.copyOf(built);
    this.targets = fixed;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.budget = new RetryBudget(settings, nanoClock);
  }

  public UpstreamConfig config() {
    return config;
  }

  public String name() {
    return config.name();
  }

  /** The targets now: the fixed ones, then those DNS discovery found. */
  public List<Target> targets() {
    return targets;
  }

  /**
   * Makes {@code discovered} the DNS targets, after the fixed ones and up to {@link
   * UpstreamConfig#MAX_TARGETS} in all: a target that stays (same URL and priority) keeps its state
   * (breaker, health, in flight); one that went is no longer picked.
   *
   * @return whether the targets changed
   */
  synchronized boolean discovered(List<DiscoveredTarget> discovered) {
    discoveryFailing = false;
    List<Target> next = new ArrayList<>(fixed);
    for (DiscoveredTarget found : discovered) {
      if (next.size() >= UpstreamConfig.MAX_TARGETS) {
        break;
      }
      UpstreamTarget config = found.target();
      Target kept = null;
      for (Target target : targets) {
        if (target.url().equals(config.url()) && target.priority() == found.priority()) {
          kept = target;
        }
      }
      boolean duplicate = false;
      for (Target target : next) {
        duplicate |= target.url().equals(config.url());
      }
      if (!duplicate) {
        next.add(
            kept != null
                ? kept
                : new Target(
                    config,
                    found.priority(),
                    new CircuitBreaker(
                        settings.breakerFailures(), settings.breakerCooldownMillis(), nanoClock)));
      }
    }
    if (next.equals(targets)) {
      return false;
    }
    targets = List.copyOf(next);
    return true;
  }

  /** A target DNS discovery found, with its SRV record's priority (0 for A/AAAA). */
  record DiscoveredTarget(UpstreamTarget target, int priority) {}

  /** A discovery lookup failed: the targets stay the last good lookup's. */
  void discoveryFailed() {
    discoveryFailing = true;
    discoveryFailures.incrementAndGet();
  }

  /** Whether the last discovery lookup failed, so the targets are an older lookup's. */
  public boolean discoveryFailing() {
    return discoveryFailing;
  }

  /** Discovery lookups that failed since the pool started. */
  public long discoveryFailures() {
    return discoveryFailures.get();
  }

  IntegrationOwner owner() {
    return owner;
  }

  HttpClient client() {
    return client;
  }

  EgressGuard guard() {
    return guard;
  }

  RetryBudget budget() {
    return budget;
  }

  /** Whether an egress refusal may be logged now (then not again for the interval). */
  boolean mayLogRefusal() {
    long now = System.nanoTime();
    long next = nextRefusalLog.get();
    return now - next >= 0 && nextRefusalLog.compareAndSet(next, now + REFUSAL_LOG_INTERVAL_NANOS);
  }

  /**
   * The target the next request goes to, its breaker's permission taken; null when none is
   * available (all unhealthy, all breakers open, or all already tried by this request).
   */
  synchronized Target pick(List<Target> tried) {
    List<Target> targets = this.targets;
    List<Target> excluded = new ArrayList<>(tried);
    while (excluded.size() < targets.size()) {
      int priority = lowestPriority(targets, excluded);
      Target chosen =
          config.balancing() == UpstreamBalancing.LEAST_REQUESTS
              ? leastRequests(targets, excluded, priority)
              : roundRobin(targets, excluded, priority);
      if (chosen == null) {
        return null;
      }
      if (chosen.breaker().tryPass()) {
        return chosen;
      }
      excluded.add(chosen);
    }
    return null;
  }

  /**
   * The lowest priority with an available target (RFC 2782: a client uses the lowest priority it
   * can reach); the others are fallbacks. Fixed and A/AAAA targets are all priority 0.
   */
  private static int lowestPriority(List<Target> targets, List<Target> excluded) {
    int lowest = Integer.MAX_VALUE;
    for (Target target : targets) {
      if (target.priority() < lowest && !excluded.contains(target) && target.available()) {
        lowest = target.priority();
      }
    }
    return lowest;
  }

  /**
   * nginx's smooth weighted round-robin over the available targets: each gains its weight, the
   * richest is chosen and pays the total, so weights 5:1:1 give a a b a c a a, not a a a a a b c.
   */
  private static Target roundRobin(List<Target> targets, List<Target> excluded, int priority) {
    Target best = null;
    long total = 0;
    for (Target target : targets) {
      if (target.priority() != priority || excluded.contains(target) || !target.available()) {
        continue;
      }
      target.currentWeight += target.weight();
      total += target.weight();
      if (best == null || target.currentWeight > best.currentWeight) {
        best = target;
      }
    }
    if (best != null) {
      best.currentWeight -= total;
    }
    return best;
  }

  /** The fewest requests in flight per unit of weight; ties rotate so none is favoured. */
  private Target leastRequests(List<Target> targets, List<Target> excluded, int priority) {
    Target best = null;
    int size = targets.size();
    cursor = (cursor + 1) % size;
    for (int i = 0; i < size; i++) {
      Target target = targets.get((cursor + i) % size);
      if (target.priority() != priority || excluded.contains(target) || !target.available()) {
        continue;
      }
      if (best == null
          || (long) (target.inFlight() + 1) * best.weight()
              < (long) (best.inFlight() + 1) * target.weight()) {
        best = target;
      }
    }
    return best;
  }
}
