package dev.turnpike.gateway.config;

import dev.turnpike.contracts.json.ContractDecodingException;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import java.util.HashMap;
import java.util.Map;

/**
 * The latest value per key of one compacted topic, mutable on the feed thread, frozen into an
 * immutable map when a state is published. Freezing copies only when something changed since the
 * last freeze, so a topic that was quiet costs nothing per published state.
 */
final class RecordTable<T extends Versioned> {
  private final JsonCodec<T> codec;
  private final Map<String, T> entries = new HashMap<>();
  private Map<String, T> frozen = Map.of();
  private boolean changedSinceFreeze;

  RecordTable(JsonCodec<T> codec) {
    this.codec = codec;
  }

  /**
   * Applies one record: a value replaces the key's value, a null value (tombstone) deletes it.
   *
   * @return whether the table changed; an identical value republished (an at-least-once relay sends
   *     duplicates) is not a change
   * @throws ContractDecodingException if the value does not decode; the table is left as it was
   */
  boolean apply(String key, byte[] value) {
    boolean changed;
    if (value == null) {
      changed = entries.remove(key) != null;
    } else {
      T decoded = codec.decode(value);
      changed = !decoded.equals(entries.put(key, decoded));
    }
    changedSinceFreeze |= changed;
    return changed;
  }

  Map<String, T> freeze() {
    if (changedSinceFreeze) {
      frozen = Map.copyOf(entries);
      changedSinceFreeze = false;
    }
    return frozen;
  }
}
