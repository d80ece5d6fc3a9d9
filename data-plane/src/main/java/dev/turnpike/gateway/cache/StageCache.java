package dev.turnpike.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * One stage's cached responses on this node: bounded by bytes (least valuable entries evicted
 * first, Caffeine's W-TinyLFU), each entry served for its own time to live. Thread-safe, and no
 * call blocks: eviction and expiry work runs on the calling thread in small amortised steps.
 */
public final class StageCache {
  private final Cache<String, CachedResponse> entries;
  private volatile long capacityBytes;
  private volatile long flushGeneration;

  StageCache(long capacityBytes, long flushGeneration, Ticker ticker) {
    this.capacityBytes = capacityBytes;
    this.flushGeneration = flushGeneration;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(capacityBytes)
            .weigher((String key, CachedResponse response) -> response.weight(key))
            .expireAfter(
                new Expiry<String, CachedResponse>() {
                  @Override
                  public long expireAfterCreate(
                      String key, CachedResponse response, long currentTime) {
                    return response.ttlNanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, CachedResponse response, long currentTime, long currentDuration) {
                    return response.ttlNanos();
                  }

                  @Override
                  public long expireAfterRead(
                      String key, CachedResponse response, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .ticker(ticker)
            // Maintenance on the caller's thread: no executor hops, nothing to shut down.
            .executor(Runnable::run)
            .build();
  }

  /** The live entry under {@code key}, or null. */
  public CachedResponse get(String key) {
    return entries.getIfPresent(key);
  }

  public void put(String key, CachedResponse response) {
    entries.put(key, response);
  }

  public void invalidate(String key) {
    entries.invalidate(key);
  }

  /** The generation entries are cached under; keys carry it, so a flush needs no coordination. */
  public long flushGeneration() {
    return flushGeneration;
  }

  long capacityBytes() {
    return capacityBytes;
  }

  long estimatedSize() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /** Takes new settings from a snapshot: a new capacity, or a flush that drops every entry. */
  void update(long capacity, long generation) {
    if (capacity != capacityBytes) {
      capacityBytes = capacity;
      entries.policy().eviction().ifPresent(eviction -> eviction.setMaximum(capacity));
    }
    if (generation != flushGeneration) {
      flushGeneration = generation;
      entries.invalidateAll();
    }
  }

  void clear() {
    entries.invalidateAll();
  }
}
