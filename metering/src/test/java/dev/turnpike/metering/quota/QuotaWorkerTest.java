package dev.turnpike.metering.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.metering.aggregation.CommitResult;
import dev.turnpike.metering.aggregation.KeyPlan;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class QuotaWorkerTest {
  private static final UUID TENANT = UUID.randomUUID();
  private static final KeyPlan KEY = new KeyPlan(TENANT, "key", "daily");

  /** Counted use per window start, answered for any key asked. */
  private static final class Store implements QuotaStore {
    final Map<Instant, Long> usedByWindowStart = new ConcurrentHashMap<>();

    @Override
    public Map<String, QuotaRule> rules(java.util.Collection<String> planIds) {
      return Map.of(
          "daily", new QuotaRule(TENANT, "daily", 100, 0, QuotaPeriod.DAY, Instant.EPOCH));
    }

    @Override
    public Map<KeyPlan, Long> used(Map<KeyPlan, QuotaWindow> windows) {
      Map<KeyPlan, Long> used = new ConcurrentHashMap<>();
      windows.forEach(
          (key, window) -> used.put(key, usedByWindowStart.getOrDefault(window.start(), 0L)));
      return used;
    }

    @Override
    public Set<KeyPlan> usedSince(Instant since) {
      return Set.of(KEY);
    }
  }

  private static final class Published implements QuotaStatePublisher {
    final List<QuotaState> states = new CopyOnWriteArrayList<>();

    @Override
    public void publish(List<QuotaState> batch) {
      states.addAll(batch);
    }

    @Override
    public void close() {}
  }

  @Test
  void publishes_after_batches_and_resets_each_key_when_its_period_rolls_over() {
    Instant today = Instant.parse("2026-11-21T00:00:00Z");
    Instant tomorrow = Instant.parse("2026-11-22T00:00:00Z");
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T23:59:58Z"));
    Store store = new Store();
    store.usedByWindowStart.put(today, 100L);
    Published published = new Published();
    QuotaWorker worker =
        new QuotaWorker(store, published, clock, Duration.ofMillis(200), new SimpleMeterRegistry());
    Thread thread = Thread.ofPlatform().start(worker);
    try {
      // At start: the current state of every key used lately.
      Await.until(Duration.ofSeconds(5), () -> !published.states.isEmpty(), "catch-up state");
      assertThat(published.states.get(0).exceeded()).isTrue();

      // An unchanged count is not published again.
      worker.committed(new CommitResult(1, 0, 4, Set.of(KEY), clock.instant()));
      store.usedByWindowStart.put(today, 101L);
      worker.committed(new CommitResult(1, 0, 4, Set.of(KEY), clock.instant()));
      Await.until(
          Duration.ofSeconds(5),
          () -> published.states.get(published.states.size() - 1).used() == 101,
          "the batch's new count");

      clock.set(tomorrow.plusMillis(5));
      Await.until(
          Duration.ofSeconds(5),
          () -> published.states.get(published.states.size() - 1).periodStart().equals(tomorrow),
          "the reset at midnight");
      QuotaState reset = published.states.get(published.states.size() - 1);
      assertThat(reset.used()).isZero();
      assertThat(reset.exceeded()).isFalse();
      assertThat(reset.periodEnd()).isEqualTo(tomorrow.plus(Duration.ofDays(1)));
    } finally {
      worker.close();
      thread.interrupt();
    }
  }
}
