package dev.turnpike.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.ThrottleLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GcraLimiterTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);

  /** An arbitrary clock origin, so nothing depends on the clock starting at zero. */
  private static final long T0 = 1_234_567_890_123L;

  private static int admitted(GcraLimiter limiter, String key, long nowNanos, int attempts) {
    int admitted = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire(key, nowNanos)) {
        admitted++;
      }
    }
    return admitted;
  }

  @Nested
  class BurstThenSteadyRate {

    private final GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(10, 5));

    @Test
    void admits_the_burst_at_once_then_rejects() {
      assertThat(admitted(limiter, "key", T0, 20)).isEqualTo(5);
    }

    @Test
    void admits_one_request_per_interval_after_the_burst() {
      admitted(limiter, "key", T0, 5);

      assertThat(limiter.tryAcquire("key", T0 + 99 * MILLISECOND)).isFalse();
      assertThat(limiter.tryAcquire("key", T0 + 100 * MILLISECOND)).isTrue();
      assertThat(limiter.tryAcquire("key", T0 + 150 * MILLISECOND)).isFalse();
      assertThat(limiter.tryAcquire("key", T0 + 200 * MILLISECOND)).isTrue();
    }

    @Test
    void admits_the_steady_rate_over_a_long_run() {
      int admitted = 0;
      for (long t = 0; t < 10 * SECOND; t += MILLISECOND) {
        if (limiter.tryAcquire("key", T0 + t)) {
          admitted++;
        }
      }
      // The burst of 5, then 10 per second for the remaining time.
      assertThat(admitted).isEqualTo(5 + 99);
    }

    @Test
    void refills_the_full_burst_after_a_quiet_period() {
      admitted(limiter, "key", T0, 5);

      assertThat(admitted(limiter, "key", T0 + 10 * SECOND, 20)).isEqualTo(5);
    }

    @Test
    void partially_refills_after_a_short_pause() {
      admitted(limiter, "key", T0, 5);

      assertThat(admitted(limiter, "key", T0 + 300 * MILLISECOND, 20)).isEqualTo(3);
    }

    @Test
    void keys_are_limited_independently() {
      admitted(limiter, "a", T0, 5);

      assertThat(admitted(limiter, "b", T0, 20)).isEqualTo(5);
      assertThat(limiter.trackedKeys()).isEqualTo(2);
    }

    @Test
    void reports_how_long_to_wait() {
      admitted(limiter, "key", T0, 5);

      assertThat(limiter.acquireOrWaitNanos("key", T0)).isEqualTo(100 * MILLISECOND);
      assertThat(limiter.acquireOrWaitNanos("key", T0 + 30 * MILLISECOND))
          .isEqualTo(70 * MILLISECOND);
      assertThat(limiter.acquireOrWaitNanos("key", T0 + 100 * MILLISECOND)).isZero();
    }

    @Test
    void works_with_a_negative_clock_origin() {
      long negativeOrigin = -5 * SECOND;

      assertThat(admitted(limiter, "key", negativeOrigin, 20)).isEqualTo(5);
      assertThat(limiter.tryAcquire("key", negativeOrigin + 100 * MILLISECOND)).isTrue();
      assertThat(limiter.tryAcquire("key", negativeOrigin + 100 * MILLISECOND)).isFalse();
    }
  }

  @Nested
  class FractionalAndExtremeRates {

    @Test
    void half_a_request_per_second_admits_one_every_two_seconds() {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(0.5, 1));

      assertThat(limiter.tryAcquire("key", T0)).isTrue();
      assertThat(limiter.tryAcquire("key", T0 + SECOND)).isFalse();
      assertThat(limiter.tryAcquire("key", T0 + 2 * SECOND - 1)).isFalse();
      assertThat(limiter.tryAcquire("key", T0 + 2 * SECOND)).isTrue();
    }

    @Test
    void a_fractional_rate_holds_over_a_long_run() {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(2.5, 1));

      int admitted = 0;
      for (long t = 0; t < 100 * SECOND; t += 10 * MILLISECOND) {
        if (limiter.tryAcquire("key", T0 + t)) {
          admitted++;
        }
      }
      assertThat(admitted).isEqualTo(250);
    }

    @Test
    void rate_zero_blocks_everything() {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(0, 100));

      assertThat(limiter.tryAcquire("key", T0)).isFalse();
      assertThat(limiter.acquireOrWaitNanos("key", T0 + 1_000 * SECOND)).isEqualTo(Long.MAX_VALUE);
      assertThat(limiter.trackedKeys()).isZero();
    }

    @Test
    void a_very_slow_rate_admits_its_burst_then_one_request_per_interval() {
      // One request per 10^6 seconds (about 11.6 days).
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(1e-6, 1_000));
      long interval = 1_000_000 * SECOND;

      assertThat(admitted(limiter, "key", T0, 2_000)).isEqualTo(1_000);
      assertThat(limiter.tryAcquire("key", T0 + interval - 1)).isFalse();
      assertThat(limiter.tryAcquire("key", T0 + interval)).isTrue();
    }

    @Test
    void a_vanishingly_small_rate_does_not_overflow() {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(1e-300, 1));
      long year = 365L * 24 * 3600 * SECOND;

      assertThat(limiter.tryAcquire("key", T0)).isTrue();
      assertThat(limiter.tryAcquire("key", T0 + 50 * year)).isFalse();
      assertThat(limiter.acquireOrWaitNanos("key", T0 + 50 * year)).isPositive();
    }

    @Test
    void a_huge_rate_admits_every_request() {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(1e12, 1));

      assertThat(admitted(limiter, "key", T0, 1)).isEqualTo(1);
      assertThat(limiter.tryAcquire("key", T0 + 1)).isTrue();
      assertThat(limiter.tryAcquire("key", T0 + 2)).isTrue();
    }
  }

  @Nested
  class SharedAcrossNodes {

    @Test
    void each_of_two_nodes_enforces_half_the_limit() {
      GcraLimiter node = GcraLimiter.sharedAcross(new ThrottleLimit(100, 50), 2);

      assertThat(node.limit()).isEqualTo(new ThrottleLimit(50, 25));
      assertThat(admitted(node, "key", T0, 100)).isEqualTo(25);
      assertThat(admitted(node, "key", T0 + SECOND, 100)).isEqualTo(25);
    }

    @Test
    void two_nodes_together_stay_within_the_cluster_limit() {
      ThrottleLimit cluster = new ThrottleLimit(10, 7);
      GcraLimiter first = GcraLimiter.sharedAcross(cluster, 2);
      GcraLimiter second = GcraLimiter.sharedAcross(cluster, 2);

      int admitted = 0;
      for (long t = 0; t < 10 * SECOND; t += MILLISECOND) {
        admitted += first.tryAcquire("key", T0 + t) ? 1 : 0;
        admitted += second.tryAcquire("key", T0 + t) ? 1 : 0;
      }
      // Each node: burst 7/2 rounded down = 3, then 5 per second.
      assertThat(admitted).isEqualTo(2 * (3 + 49)).isLessThanOrEqualTo(7 + 10 * 10);
    }

    @Test
    void share_rounds_burst_down_but_keeps_at_least_one() {
      assertThat(new ThrottleLimit(10, 5).shareFor(2)).isEqualTo(new ThrottleLimit(5, 2));
      assertThat(new ThrottleLimit(10, 2).shareFor(3).burstLimit()).isEqualTo(1);
      assertThat(new ThrottleLimit(1, 1).shareFor(1)).isEqualTo(new ThrottleLimit(1, 1));
    }

    @Test
    void rejects_fewer_than_one_node() {
      assertThatThrownBy(() -> new ThrottleLimit(10, 5).shareFor(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Node count must be >= 1");
    }
  }

  @Nested
  class Resharing {

    /** Requests admitted in {@code seconds} of one request a millisecond, from {@code start}. */
    private int admittedOver(GcraLimiter limiter, long start, int seconds) {
      int admitted = 0;
      for (long t = 0; t < seconds * SECOND; t += MILLISECOND) {
        admitted += limiter.tryAcquire("key", start + t) ? 1 : 0;
      }
      return admitted;
    }

    @Test
    void a_share_among_four_nodes_becomes_a_share_among_two() {
      GcraLimiter node = GcraLimiter.sharedAcross(new ThrottleLimit(100, 40), 4);

      // Burst 40/4 = 10, then 25 per second.
      assertThat(admittedOver(node, T0, 4)).isEqualTo(10 + 99);

      node.shareAcross(2);

      assertThat(node.limit()).isEqualTo(new ThrottleLimit(50, 20));
      assertThat(node.nodeCount()).isEqualTo(2);
      // The key's backlog (360 ms, 9 intervals of 40 ms) is kept and is within the new tolerance
      // (380 ms, 19 of 20 ms): one more request at once, then one every 20 ms.
      assertThat(admittedOver(node, T0 + 4 * SECOND, 4)).isEqualTo(2 + 199);
    }

    @Test
    void a_larger_cluster_lowers_the_rate_without_forgetting_the_backlog() {
      GcraLimiter node = GcraLimiter.sharedAcross(new ThrottleLimit(100, 40), 2);
      admittedOver(node, T0, 2);

      node.shareAcross(4);

      assertThat(node.limit()).isEqualTo(new ThrottleLimit(25, 10));
      // No fresh burst: the backlog (380 ms) first drains to the new tolerance (360 ms), then one
      // request every 40 ms.
      assertThat(admittedOver(node, T0 + 2 * SECOND, 4)).isEqualTo(4 * 25);
    }

    @Test
    void keeps_the_cluster_limit_it_shares() {
      GcraLimiter node = GcraLimiter.sharedAcross(new ThrottleLimit(100, 40), 4);

      node.shareAcross(1);

      assertThat(node.clusterLimit()).isEqualTo(new ThrottleLimit(100, 40));
      assertThat(node.limit()).isEqualTo(new ThrottleLimit(100, 40));
    }

    @Test
    void rejects_fewer_than_one_node() {
      GcraLimiter node = GcraLimiter.sharedAcross(new ThrottleLimit(100, 40), 4);

      assertThatThrownBy(() -> node.shareAcross(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Node count must be >= 1");
      assertThat(node.nodeCount()).isEqualTo(4);
    }
  }

  @Nested
  class Eviction {

    private final GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(10, 5));

    @Test
    void evicts_keys_whose_bucket_has_refilled() {
      admitted(limiter, "busy", T0, 5);
      admitted(limiter, "quiet", T0 - SECOND, 1);

      assertThat(limiter.evictIdle(T0)).isEqualTo(1);
      assertThat(limiter.trackedKeys()).isEqualTo(1);
      assertThat(limiter.tryAcquire("busy", T0)).isFalse();
    }

    @Test
    void evicted_key_behaves_like_a_new_key() {
      admitted(limiter, "key", T0, 5);

      assertThat(limiter.evictIdle(T0 + 500 * MILLISECOND)).isEqualTo(1);
      assertThat(limiter.trackedKeys()).isZero();
      assertThat(admitted(limiter, "key", T0 + 500 * MILLISECOND, 20)).isEqualTo(5);
    }

    @Test
    void keeps_keys_still_inside_their_burst_window() {
      admitted(limiter, "key", T0, 5);

      assertThat(limiter.evictIdle(T0 + 499 * MILLISECOND)).isZero();
      assertThat(admitted(limiter, "key", T0 + 499 * MILLISECOND, 20)).isEqualTo(4);
    }

    @Test
    void eviction_racing_with_requests_loses_no_admission() throws Exception {
      GcraLimiter slow = new GcraLimiter(new ThrottleLimit(1, 3));
      int keys = 2_000;
      AtomicLong admitted = new AtomicLong();
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean requestsDone = new AtomicBoolean();
      try {
        List<Future<?>> requests = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          requests.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int key = 0; key < keys; key++) {
                      for (int n = 0; n < 10; n++) {
                        if (slow.tryAcquire("key-" + key, T0)) {
                          admitted.incrementAndGet();
                        }
                      }
                    }
                    return null;
                  }));
        }
        // A new key's state starts with an empty backlog, which is evictable at T0 until the
        // first request pushes it forward: every key opens a window for the race.
        Future<?> evictor =
            pool.submit(
                () -> {
                  start.await();
                  while (!requestsDone.get()) {
                    slow.evictIdle(T0);
                  }
                  return null;
                });
        start.countDown();
        for (Future<?> request : requests) {
          request.get(30, TimeUnit.SECONDS);
        }
        requestsDone.set(true);
        evictor.get(30, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(admitted.get()).isEqualTo(3L * keys);
    }
  }

  @Nested
  class Concurrency {

    @Test
    void threads_racing_at_one_instant_share_exactly_the_burst() throws Exception {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(1, 1_000));

      long admitted = race(8, 5_000, thread -> T0, limiter);

      assertThat(admitted).isEqualTo(1_000);
    }

    @Test
    void threads_on_an_advancing_clock_stay_within_burst_plus_rate() throws Exception {
      GcraLimiter limiter = new GcraLimiter(new ThrottleLimit(1_000, 50));
      AtomicLong clock = new AtomicLong(T0);

      // Every attempt moves the shared clock forward by 10 µs: 8 * 20,000 attempts span 1.6 s.
      long admitted = race(8, 20_000, thread -> clock.addAndGet(10_000), limiter);

      long elapsedSeconds = (clock.get() - T0) / SECOND;
      assertThat(admitted)
          .isLessThanOrEqualTo(50 + 1_000 * (elapsedSeconds + 1))
          .isGreaterThanOrEqualTo(1_000 * elapsedSeconds);
    }

    private long race(int threads, int attemptsPerThread, Clock clock, GcraLimiter limiter)
        throws Exception {
      AtomicLong admitted = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          int thread = i;
          tasks.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int n = 0; n < attemptsPerThread; n++) {
                      if (limiter.tryAcquire("shared", clock.nowNanos(thread))) {
                        admitted.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> task : tasks) {
          task.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      return admitted.get();
    }
  }

  @Nested
  class SharesByKey {

    @Test
    void a_key_counts_every_request_it_sees_admitted_or_not_until_drained() {
      GcraLimiter limiter = GcraLimiter.sharedAcross(new ThrottleLimit(10, 2), 2);
      admitted(limiter, "a", T0, 5);
      admitted(limiter, "b", T0, 1);
      java.util.Map<String, Long> seen = new java.util.HashMap<>();

      limiter.drainDemand(seen::put);
      assertThat(seen).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", 5L, "b", 1L));

      seen.clear();
      limiter.drainDemand(seen::put);
      assertThat(seen).isEmpty();
    }

    @Test
    void a_key_of_its_own_share_keeps_its_bucket_and_others_keep_the_even_share() {
      GcraLimiter limiter = GcraLimiter.sharedAcross(new ThrottleLimit(100, 10), 2);
      // Even share: burst 5, 50/s.
      assertThat(admitted(limiter, "pinned", T0, 20)).isEqualTo(5);

      limiter.shareByKey(key -> key.equals("pinned") ? 1.0 : Double.NaN);

      assertThat(limiter.limitFor("pinned")).isEqualTo(new ThrottleLimit(100, 10));
      assertThat(limiter.limitFor("other")).isEqualTo(new ThrottleLimit(50, 5));
      // The key's backlog is kept: 100 ms (5 intervals of 20 ms), 50 ms of it left 50 ms later,
      // within the whole limit's tolerance of 90 ms (9 of 10 ms) for 5 more requests; under the
      // even share (80 ms of 20 ms) it would have been 2.
      assertThat(admitted(limiter, "pinned", T0 + 50 * MILLISECOND, 20)).isEqualTo(5);
      assertThat(admitted(limiter, "other", T0, 20)).isEqualTo(5);
    }

    @Test
    void a_key_first_seen_after_sharing_takes_its_share_at_once() {
      GcraLimiter limiter = GcraLimiter.sharedAcross(new ThrottleLimit(100, 10), 2);
      limiter.shareByKey(key -> 0.3);

      assertThat(admitted(limiter, "new", T0, 20)).isEqualTo(3);
      assertThat(limiter.limitFor("new")).isEqualTo(new ThrottleLimit(30, 3));
    }
  }

  @FunctionalInterface
  private interface Clock {
    long nowNanos(int thread);
  }
}
