package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One usage event as it goes to Kafka: the record key and the contract JSON. The spool keeps the
 * same bytes, so an event drained after a restart is exactly the one first encoded.
 */
final class UsageRecord {
  private static final int NO_KEY = -1;

  final String key;
  final byte[] value;

  private UsageRecord(String key, byte[] value) {
    this.key = key;
    this.value = value;
  }

  /**
   * Keyed by the API key so one key's events stay in order on one partition; by the tenant when the
   * request had no key, so keyless traffic still spreads; unkeyed when neither is known.
   */
  static UsageRecord of(UsageEvent event, UsageEventEncoder encoder) {
    String key = event.keyId() != null ? event.keyId() : event.tenantId();
    return new UsageRecord(key, encoder.encode(event));
  }

  /** Spool form: key length (-1 for none), key UTF-8, value. */
  byte[] toSpoolBytes() {
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    int keyLength = keyBytes == null ? 0 : keyBytes.length;
    ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + keyLength + value.length);
    buffer.putInt(keyBytes == null ? NO_KEY : keyLength);
    if (keyBytes != null) {
      buffer.put(keyBytes);
    }
    buffer.put(value);
    return buffer.array();
  }

  /**
   * Reads the spool form back.
   *
   * @throws IllegalArgumentException if the bytes are not a spooled record
   */
  static UsageRecord fromSpoolBytes(byte[] bytes) {
    if (bytes.length < Integer.BYTES) {
      throw new IllegalArgumentException("spooled usage record of " + bytes.length + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int keyLength = buffer.getInt();
    if (keyLength < NO_KEY || keyLength > buffer.remaining()) {
      throw new IllegalArgumentException("spooled usage record with key length " + keyLength);
    }
    String key = null;
    if (keyLength != NO_KEY) {
      key = new String(bytes, Integer.BYTES, keyLength, StandardCharsets.UTF_8);
      buffer.position(Integer.BYTES + keyLength);
    }
    byte[] value = new byte[buffer.remaining()];
    buffer.get(value);
    return new UsageRecord(key, value);
  }
}
