package dev.turnpike.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StageCacheTest {
  final AtomicLong nanos = new AtomicLong();

  static CachedResponse response(int bytes, long ttlSeconds) {
    return new CachedResponse(
        MultiMap.caseInsensitiveMultiMap(),
        Buffer.buffer(new byte[bytes]),
        TimeUnit.SECONDS.toNanos(ttlSeconds));
  }

  @Test
  void an_entry_is_served_until_its_own_ttl_has_passed() {
    StageCache cache = new StageCache(1 << 20, 0, nanos::get);
    cache.put("long", response(10, 300));
    cache.put("short", response(10, 10));

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(11));
    assertThat(cache.get("long")).isNotNull();
    assertThat(cache.get("short")).isNull();

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(290));
    assertThat(cache.get("long")).isNull();
  }

  @Test
  void entries_beyond_the_capacity_in_bytes_are_evicted() {
    StageCache cache = new StageCache(100_000, 0, nanos::get);
    for (int i = 0; i < 50; i++) {
      cache.put("k" + i, response(10_000, 300));
    }

    assertThat(cache.estimatedSize()).isLessThanOrEqualTo(10);
  }

  @Test
  void a_new_flush_generation_drops_every_entry_and_a_smaller_capacity_evicts() {
    StageCache cache = new StageCache(1 << 20, 0, nanos::get);
    cache.put("a", response(10_000, 300));
    cache.put("b", response(10_000, 300));

    cache.update(1 << 20, 0);
    assertThat(cache.get("a")).isNotNull();

    cache.update(15_000, 0);
    assertThat(cache.estimatedSize()).isEqualTo(1);

    cache.update(15_000, 1);
    assertThat(cache.estimatedSize()).isZero();
    assertThat(cache.flushGeneration()).isEqualTo(1);
  }
}
