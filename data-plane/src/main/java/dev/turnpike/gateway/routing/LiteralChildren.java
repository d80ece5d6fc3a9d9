package dev.turnpike.gateway.routing;

import java.util.Map;

/**
 * An immutable hash table from literal path segments to child nodes, looked up by a region of the
 * request path. A {@link java.util.HashMap} would need a substring per segment just to probe it;
 * this table hashes the region in place, so walking the tree allocates nothing.
 *
 * @param <V> the child type
 */
final class LiteralChildren<V> {

  private static final LiteralChildren<?> EMPTY =
      new LiteralChildren<>(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;
  private final int mask;

  private LiteralChildren(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
    this.mask = keys.length - 1;
  }

  static <V> LiteralChildren<V> of(Map<String, V> entries) {
    if (entries.isEmpty()) {
      @SuppressWarnings("unchecked")
      LiteralChildren<V> empty = (LiteralChildren<V>) EMPTY;
      return empty;
    }
    // Load factor at most 1/2 keeps probe chains short and guarantees an empty slot.
    int capacity = Integer.highestOneBit(entries.size() * 2 - 1) << 1;
    String[] keys = new String[capacity];
    Object[] values = new Object[capacity];
    for (Map.Entry<String, V> entry : entries.entrySet()) {
      String key = entry.getKey();
      int slot = spread(key.hashCode()) & (capacity - 1);
      while (keys[slot] != null) {
        slot = (slot + 1) & (capacity - 1);
      }
      keys[slot] = key;
      values[slot] = entry.getValue();
    }
    return new LiteralChildren<>(keys, values);
  }

  /** Returns the child for the segment {@code text[from, to)}, or null. */
  V get(String text, int from, int to) {
    if (keys.length == 0) {
      return null;
    }
    int length = to - from;
    for (int slot = spread(regionHash(text, from, to)) & mask; ; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (key == null) {
        return null;
      }
      if (key.length() == length && key.regionMatches(0, text, from, length)) {
        @SuppressWarnings("unchecked")
        V value = (V) values[slot];
        return value;
      }
    }
  }

  /** Same value as {@code text.substring(from, to).hashCode()}. */
  private static int regionHash(String text, int from, int to) {
    int hash = 0;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + text.charAt(i);
    }
    return hash;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
