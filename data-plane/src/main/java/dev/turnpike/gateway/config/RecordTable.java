package dev.turnpike.gateway.config;

import dev.turnpike.contracts.json.ContractDecodingException;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import dev.turnpike.gateway.snapshot.ShardedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The latest value per key of one compacted topic. Records applied on the feed thread wait as
 * pending changes; freezing folds them into a new immutable {@link ShardedMap} that shares every
 * untouched shard with the previous one, so a published state costs the size of its changes, and a
 * topic that was quiet costs nothing.
 */
final class RecordTable<T extends Versioned> {
  private final JsonCodec<T> codec;
  private final Function<T, String> ownKey;
  private ShardedMap<String, T> frozen = ShardedMap.empty();
  // A null value is a deletion.
  private final Map<String, T> pending = new HashMap<>();
  private Set<String> lastChanged = Set.of();

  RecordTable(JsonCodec<T> codec) {
    this(codec, null);
  }

  /**
   * @param ownKey the field of a record that repeats its topic key (a key record's hash): the table
   *     keys the record by that field's instance, so the two are one string, not two (a million
   *     keys would hold a million copies of their 64-character hash)
   */
  RecordTable(JsonCodec<T> codec, Function<T, String> ownKey) {
    this.codec = codec;
    this.ownKey = ownKey;
  }

  /**
   * Applies one record: a value replaces the key's value, a null value (tombstone) deletes it.
   *
   * @return whether the table changed; an identical value republished (an at-least-once relay sends
   *     duplicates) is not a change
   * @throws ContractDecodingException if the value does not decode; the table is left as it was
   */
  boolean apply(String key, byte[] value) {
    return applyDecoded(key, decode(value));
  }

  /**
   * Decodes a record's value, null for a tombstone. Thread-safe (it touches nothing of the table's,
   * and the codec's mapper is thread-safe): a cold start decodes a poll batch on several threads,
   * then applies it in order on the feed thread.
   *
   * @throws ContractDecodingException if the value does not decode
   */
  T decode(byte[] value) {
    return value == null ? null : codec.decode(value);
  }

  /** {@link #apply} of a value {@link #decode}d already; feed thread only. */
  boolean applyDecoded(String key, T decoded) {
    T current = pending.containsKey(key) ? pending.get(key) : frozen.get(key);
    if (decoded == null ? current == null : decoded.equals(current)) {
      return false;
    }
    // Removed first: put would keep the key instance of an earlier pending change.
    pending.remove(key);
    pending.put(sharedKey(key, decoded), decoded);
    return true;
  }

  private String sharedKey(String key, T decoded) {
    if (ownKey == null || decoded == null) {
      return key;
    }
    String own = ownKey.apply(decoded);
    return key.equals(own) ? own : key;
  }

  /** The table with every change applied so far; the keys it changed are {@link #lastChanged}. */
  Map<String, T> freeze() {
    lastChanged = Set.copyOf(pending.keySet());
    return fold();
  }

  /**
   * {@link #freeze} for a state published whole (a cold start caught up): its reader takes every
   * record as changed, so the changed keys are not listed; at SaaS scale that list was a copy of
   * two million keys nobody read. {@link #lastChanged} is empty until the next freeze.
   */
  Map<String, T> freezeWhole() {
    lastChanged = Set.of();
    return fold();
  }

  private Map<String, T> fold() {
    frozen = frozen.with(pending);
    pending.clear();
    return frozen;
  }

  /** The keys the last {@link #freeze} changed. */
  Set<String> lastChanged() {
    return lastChanged;
  }
}
