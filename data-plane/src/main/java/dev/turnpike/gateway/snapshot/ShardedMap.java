package dev.turnpike.gateway.snapshot;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map split into a fixed number of immutable shards by key hash. A new version made
 * with {@link #with} copies only the shards its changes touch (about {@code size / }{@value
 * #SHARDS} entries each) and the shard array, and shares every other shard with this one: a change
 * of one entry in a map of 100,000 costs a few hundred entries, not 100,000. A lookup is one array
 * index and one {@link Map#copyOf} lookup, as fast as a plain immutable map's, which matters as the
 * gateway looks up keys and stages on every request. Null keys and values are refused.
 */
public final class ShardedMap<K, V> extends AbstractMap<K, V> {
  private static final int SHARD_BITS = 9;
  private static final int SHARDS = 1 << SHARD_BITS;
  private static final ShardedMap<?, ?> EMPTY = new ShardedMap<>(emptyShards(), 0);

  private final Map<K, V>[] shards;
  private final int size;
  private Set<Entry<K, V>> entries;

  private ShardedMap(Map<K, V>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <K, V> ShardedMap<K, V> empty() {
    return (ShardedMap<K, V>) EMPTY;
  }

  /** {@code map} itself if it is a sharded map already, else a sharded copy of it. */
  public static <K, V> ShardedMap<K, V> copyOf(Map<K, V> map) {
    if (map instanceof ShardedMap<K, V> sharded) {
      return sharded;
    }
    if (map.isEmpty()) {
      return empty();
    }
    // What with() on the empty map yields, without its removing each key first (it replaces keys
    // in shards copied from an older version; here there are none): that removal was a third of
    // the copy a snapshot-file start makes of its two million records on the feed thread.
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<K, V>[] built = new Map[SHARDS];
    int perShard = map.size() / SHARDS + 1;
    for (Map.Entry<K, V> entry : map.entrySet()) {
      K key = Objects.requireNonNull(entry.getKey(), "key");
      if (entry.getValue() == null) {
        continue; // a null value removes the key in with(): from nothing, there is none
      }
      int shard = shardOf(key);
      if (built[shard] == null) {
        built[shard] = HashMap.newHashMap(perShard + perShard / 4);
      }
      built[shard].put(key, entry.getValue());
    }
    Map<K, V>[] shards = emptyShards();
    int size = 0;
    for (int shard = 0; shard < SHARDS; shard++) {
      if (built[shard] != null) {
        shards[shard] = Map.copyOf(built[shard]);
        size += shards[shard].size();
      }
    }
    return new ShardedMap<>(shards, size);
  }

  /**
   * A new version with {@code changes} applied: a key mapped to null is removed, any other value
   * replaces the key's. Costs the shards the changes touch; this map is left as it was.
   */
  public ShardedMap<K, V> with(Map<? extends K, ? extends V> changes) {
    if (changes.isEmpty()) {
      return this;
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<K, V>[] touched = new Map[SHARDS];
    for (Map.Entry<? extends K, ? extends V> change : changes.entrySet()) {
      K key = Objects.requireNonNull(change.getKey(), "key");
      int shard = shardOf(key);
      if (touched[shard] == null) {
        touched[shard] = new HashMap<>(shards[shard]);
      }
      // Removed first even when replaced: put would keep the old key instance, and the change's own
      // may be the one its value shares (a key record's hash).
      touched[shard].remove(key);
      if (change.getValue() != null) {
        touched[shard].put(key, change.getValue());
      }
    }
    Map<K, V>[] next = shards.clone();
    int nextSize = size;
    for (int shard = 0; shard < SHARDS; shard++) {
      if (touched[shard] != null) {
        nextSize += touched[shard].size() - shards[shard].size();
        next[shard] = Map.copyOf(touched[shard]);
      }
    }
    return new ShardedMap<>(next, nextSize);
  }

  /** A new version with {@code key} mapped to {@code value}, or removed when it is null. */
  public ShardedMap<K, V> with(K key, V value) {
    Map<K, V> change = new HashMap<>(2);
    change.put(key, value);
    return with(change);
  }

  @Override
  public V get(Object key) {
    return key == null ? null : shards[shardOf(key)].get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return key != null && shards[shardOf(key)].containsKey(key);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    if (entries == null) {
      entries = new EntrySet();
    }
    return entries;
  }

  /**
   * The top bits of the key's hash times the golden ratio. Not the low bits of {@code h ^ (h >>>
   * 16)}: those are the bits a {@link HashMap} picks its bucket by, so every key of a shard would
   * fall in the same 1/512 of the buckets of the HashMap {@link #with} copies the shard into, and
   * at a million keys its bins turned into trees (a cold start spent its time in TreeNode).
   */
  private static int shardOf(Object key) {
    return (key.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - SHARD_BITS);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <K, V> Map<K, V>[] emptyShards() {
    Map<K, V>[] shards = new Map[SHARDS];
    java.util.Arrays.fill(shards, Map.of());
    return shards;
  }

  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Entry<K, V>> iterator() {
      return new Iterator<>() {
        private int shard;
        private Iterator<Entry<K, V>> current = shards[0].entrySet().iterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && shard < SHARDS - 1) {
            current = shards[++shard].entrySet().iterator();
          }
          return current.hasNext();
        }

        @Override
        public Entry<K, V> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.next();
        }
      };
    }
  }
}
