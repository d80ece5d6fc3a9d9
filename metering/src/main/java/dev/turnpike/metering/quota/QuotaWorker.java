package dev.turnpike.metering.quota;

import dev.turnpike.contracts.config.QuotaCalendar;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.metering.aggregation.Backoff;
import dev.turnpike.metering.aggregation.BatchListener;
import dev.turnpike.metering.aggregation.CommitResult;
import dev.turnpike.metering.aggregation.KeyPlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes quota states on its own thread, so the consumer never waits for it: after each
 * committed batch it re-evaluates the keys the batch touched (coalescing batches that arrive while
 * it works), and at every period boundary it publishes the new period's state of each key used in
 * the last month, which is the reset. At start it publishes the current state of those keys once,
 * covering boundaries passed while metering was down.
 */
public final class QuotaWorker implements BatchListener, Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaWorker.class);
  // Longer than any quota period, so every key that might hold state on a gateway is reset.
  private static final Duration RESET_LOOKBACK = Duration.ofDays(32);

  private final QuotaEvaluator evaluator;
  private final QuotaStore store;
  private final QuotaStatePublisher publisher;
  private final Clock clock;
  private final Backoff backoff;
  private final Set<KeyPlan> pending = ConcurrentHashMap.newKeySet();
  private final Object wake = new Object();
  // Touched by the worker thread only.
  private final Map<KeyPlan, QuotaState> lastPublished = new HashMap<>();
  private final Counter published;
  private final Counter failures;
  private final Timer lag;
  // The newest event behind the keys pending evaluation: publication lag is measured from it.
  private final AtomicReference<Instant> newestPending = new AtomicReference<>();
  private volatile boolean closed;
  private volatile Thread thread;
  private Instant nextBoundary;
  private boolean caughtUp;

  public QuotaWorker(
      QuotaStore store,
      QuotaStatePublisher publisher,
      Clock clock,
      Duration retryBackoffMax,
      MeterRegistry registry) {
    this.store = store;
    this.evaluator = new QuotaEvaluator(store);
    this.publisher = publisher;
    this.clock = clock;
    this.backoff = new Backoff(Duration.ofMillis(100), retryBackoffMax);
    this.published = registry.counter("turnpike_metering_quota_states_published");
    this.failures = registry.counter("turnpike_metering_quota_failures");
    this.lag =
        Timer.builder("turnpike_metering_quota_lag")
            .description(
                "From the newest event of the batches behind a quota evaluation to its states being published")
            .register(registry);
  }

  @Override
  public void committed(CommitResult result) {
    if (!result.keyPlans().isEmpty()) {
      if (result.newestEvent() != null) {
        newestPending.accumulateAndGet(
            result.newestEvent(), (held, next) -> held == null || next.isAfter(held) ? next : held);
      }
      pending.addAll(result.keyPlans());
      synchronized (wake) {
        wake.notifyAll();
      }
    }
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    nextBoundary = QuotaCalendar.nextBoundaryAfter(clock.instant());
    while (!closed) {
      try {
        if (!caughtUp) {
          Instant now = clock.instant();
          publishChanged(evaluator.evaluate(store.usedSince(now.minus(RESET_LOOKBACK)), now));
          caughtUp = true;
        }
        awaitWork();
        Instant now = clock.instant();
        if (!now.isBefore(nextBoundary)) {
          publishReset(nextBoundary, now);
          nextBoundary = QuotaCalendar.nextBoundaryAfter(now);
        }
        evaluatePending(now);
        backoff.reset();
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        failures.increment();
        long delay = backoff.nextDelayMillis();
        LOG.warn("quota evaluation failed, retrying in {} ms: {}", delay, e.getMessage());
        sleep(delay);
      }
    }
  }

  private void evaluatePending(Instant now) {
    if (pending.isEmpty()) {
      return;
    }
    Instant newest = newestPending.getAndSet(null);
    List<KeyPlan> batch = new ArrayList<>(pending);
    pending.removeAll(batch);
    try {
      publishChanged(evaluator.evaluate(batch, now));
    } catch (RuntimeException e) {
      pending.addAll(batch);
      if (newest != null) {
        newestPending.accumulateAndGet(
            newest, (held, next) -> held == null || next.isAfter(held) ? next : held);
      }
      throw e;
    }
    if (newest != null) {
      lag.record(Duration.between(newest, clock.instant()));
    }
  }

  private void publishReset(Instant boundary, Instant now) {
    List<QuotaState> resets =
        evaluator.evaluate(store.usedSince(boundary.minus(RESET_LOOKBACK)), now).stream()
            .filter(state -> state.periodStart().equals(boundary))
            .toList();
    LOG.info("period boundary {}: publishing {} quota resets", boundary, resets.size());
    lastPublished.values().removeIf(state -> !state.periodEnd().isAfter(now));
    publishChanged(resets);
  }

  private void publishChanged(List<QuotaState> states) {
    List<QuotaState> changed = new ArrayList<>(states.size());
    for (QuotaState state : states) {
      QuotaState held = lastPublished.get(keyPlanOf(state));
      if (held == null
          || !held.periodStart().equals(state.periodStart())
          || held.used() != state.used()
          || held.limit() != state.limit()
          || held.exceeded() != state.exceeded()) {
        changed.add(state);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    publisher.publish(changed);
    changed.forEach(state -> lastPublished.put(keyPlanOf(state), state));
    published.increment(changed.size());
  }

  private static KeyPlan keyPlanOf(QuotaState state) {
    return new KeyPlan(java.util.UUID.fromString(state.tenantId()), state.keyId(), state.planId());
  }

  private void awaitWork() {
    synchronized (wake) {
      while (!closed && pending.isEmpty()) {
        long untilBoundary = Duration.between(clock.instant(), nextBoundary).toMillis();
        if (untilBoundary <= 0) {
          return;
        }
        try {
          wake.wait(Math.min(untilBoundary, 1_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
    }
  }

  private void sleep(long millis) {
    synchronized (wake) {
      try {
        if (!closed) {
          wake.wait(millis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    Thread running = thread;
    if (running != null) {
      try {
        running.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
