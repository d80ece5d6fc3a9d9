package dev.turnpike.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.QuotaWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LocalQuotaCounterTest {

  private static final Instant PLAN_CREATED = Instant.parse("2025-01-15T00:00:00Z");
  private static final long MARCH_14 = millis("2025-03-14T12:00:00Z");
  private static final QuotaWindow MARCH =
      new QuotaWindow(Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-04-01T00:00:00Z"));
  private static final QuotaWindow APRIL =
      new QuotaWindow(Instant.parse("2025-04-01T00:00:00Z"), Instant.parse("2025-05-01T00:00:00Z"));
  private static final QuotaWindow FEBRUARY =
      new QuotaWindow(Instant.parse("2025-02-01T00:00:00Z"), Instant.parse("2025-03-01T00:00:00Z"));

  private final LocalQuotaCounter counter = new LocalQuotaCounter();
  private final QuotaPolicy tenPerMonth = new QuotaPolicy(10, 0, QuotaPeriod.MONTH, PLAN_CREATED);

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private int admitted(String keyId, QuotaPolicy policy, long nowMillis, int attempts) {
    int admitted = 0;
    for (int i = 0; i < attempts; i++) {
      if (counter.tryAcquire(keyId, policy, nowMillis)) {
        admitted++;
      }
    }
    return admitted;
  }

  @Nested
  class LocalCounting {

    @Test
    void admits_up_to_the_limit_then_rejects() {
      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(10);
    }

    @Test
    void limit_zero_admits_nothing() {
      QuotaPolicy none = new QuotaPolicy(0, 0, QuotaPeriod.DAY, PLAN_CREATED);

      assertThat(counter.tryAcquire("key", none, MARCH_14)).isFalse();
    }

    @Test
    void counts_keys_independently() {
      admitted("a", tenPerMonth, MARCH_14, 10);

      assertThat(admitted("b", tenPerMonth, MARCH_14, 25)).isEqualTo(10);
      assertThat(counter.trackedKeys()).isEqualTo(2);
    }

    @Test
    void applies_the_offset_in_the_initial_period() {
      QuotaPolicy offsetInMarch =
          new QuotaPolicy(10, 4, QuotaPeriod.MONTH, Instant.parse("2025-03-10T00:00:00Z"));

      assertThat(admitted("key", offsetInMarch, MARCH_14, 25)).isEqualTo(6);
      assertThat(admitted("key", offsetInMarch, millis("2025-04-02T00:00:00Z"), 25)).isEqualTo(10);
    }
  }

  @Nested
  class WindowChanges {

    @Test
    void a_new_window_starts_from_zero() {
      admitted("key", tenPerMonth, millis("2025-03-31T23:59:59.999Z"), 10);

      assertThat(counter.tryAcquire("key", tenPerMonth, millis("2025-03-31T23:59:59.999Z")))
          .isFalse();
      assertThat(admitted("key", tenPerMonth, millis("2025-04-01T00:00:00Z"), 25)).isEqualTo(10);
    }

    @Test
    void a_new_window_clears_the_exceeded_mark() {
      counter.apply(new QuotaStateUpdate("key", MARCH, 10, true));

      assertThat(counter.tryAcquire("key", tenPerMonth, MARCH_14)).isFalse();
      assertThat(counter.tryAcquire("key", tenPerMonth, millis("2025-04-01T00:00:00Z"))).isTrue();
    }

    @Test
    void a_window_from_metering_ahead_of_the_local_clock_is_kept() {
      admitted("key", tenPerMonth, millis("2025-03-31T23:59:58Z"), 10);

      // Metering's clock has passed midnight; this node's has not yet.
      counter.apply(new QuotaStateUpdate("key", APRIL, 2, false));

      assertThat(admitted("key", tenPerMonth, millis("2025-03-31T23:59:59Z"), 25)).isEqualTo(8);
    }
  }

  @Nested
  class AuthoritativeUpdates {

    @Test
    void authoritative_count_uses_up_the_limit() {
      counter.apply(new QuotaStateUpdate("key", MARCH, 7, false));

      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(3);
    }

    @Test
    void exceeded_mark_rejects_even_with_room_left() {
      counter.apply(new QuotaStateUpdate("key", MARCH, 3, true));

      assertThat(counter.tryAcquire("key", tenPerMonth, MARCH_14)).isFalse();
    }

    @Test
    void count_covering_the_local_requests_resets_the_local_count() {
      admitted("key", tenPerMonth, MARCH_14, 5);

      // Metering has now counted those five requests.
      counter.apply(new QuotaStateUpdate("key", MARCH, 5, false));

      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(5);
    }

    @Test
    void count_covering_part_of_the_local_requests_keeps_the_rest() {
      admitted("key", tenPerMonth, MARCH_14, 6);

      // Metering has seen four of the six so far; two are still in flight.
      counter.apply(new QuotaStateUpdate("key", MARCH, 4, false));

      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(4);
    }

    @Test
    void lowered_count_and_cleared_mark_reopen_the_quota() {
      counter.apply(new QuotaStateUpdate("key", MARCH, 10, true));
      assertThat(counter.tryAcquire("key", tenPerMonth, MARCH_14)).isFalse();

      // The owner granted five more requests, so metering lowers the used count.
      counter.apply(new QuotaStateUpdate("key", MARCH, 5, false));

      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(5);
    }

    @Test
    void update_for_an_older_window_is_ignored() {
      admitted("key", tenPerMonth, MARCH_14, 2);

      counter.apply(new QuotaStateUpdate("key", FEBRUARY, 10, true));

      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(8);
    }

    @Test
    void update_for_a_window_already_over_does_not_block_the_current_one() {
      counter.apply(new QuotaStateUpdate("key", FEBRUARY, 10, true));

      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(10);
    }

    @Test
    void update_for_a_newer_window_replaces_the_old_state() {
      admitted("key", tenPerMonth, MARCH_14, 10);

      counter.apply(new QuotaStateUpdate("key", APRIL, 1, false));

      assertThat(admitted("key", tenPerMonth, millis("2025-04-02T00:00:00Z"), 25)).isEqualTo(9);
    }
  }

  @Nested
  class Eviction {

    @Test
    void forgets_keys_whose_window_has_ended() {
      admitted("march", tenPerMonth, MARCH_14, 3);
      admitted("april", tenPerMonth, millis("2025-04-02T00:00:00Z"), 3);

      assertThat(counter.evictExpired(millis("2025-04-01T00:00:00Z"))).isEqualTo(1);
      assertThat(counter.trackedKeys()).isEqualTo(1);
      assertThat(admitted("april", tenPerMonth, millis("2025-04-02T00:00:00Z"), 25)).isEqualTo(7);
    }

    @Test
    void keeps_keys_whose_window_is_still_open() {
      admitted("key", tenPerMonth, MARCH_14, 3);

      assertThat(counter.evictExpired(millis("2025-03-31T23:59:59.999Z"))).isZero();
      assertThat(admitted("key", tenPerMonth, MARCH_14, 25)).isEqualTo(7);
    }
  }

  @Nested
  class Concurrency {

    @Test
    void threads_racing_admit_exactly_the_limit() throws Exception {
      QuotaPolicy policy = new QuotaPolicy(2_500, 0, QuotaPeriod.DAY, PLAN_CREATED);
      AtomicLong admitted = new AtomicLong();
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          tasks.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int n = 0; n < 1_000; n++) {
                      if (counter.tryAcquire("shared", policy, MARCH_14)) {
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
      assertThat(admitted.get()).isEqualTo(2_500);
    }
  }
}
