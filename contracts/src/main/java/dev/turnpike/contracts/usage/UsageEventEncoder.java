package dev.turnpike.contracts.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes a usage event as the bytes {@link UsageEvent#CODEC} would, without Jackson: the publisher
 * thread encodes one event per gateway request, and the generic codec spent most of its time and
 * garbage on reflection-driven serializers and on formatting the timestamp through {@code
 * DateTimeFormatter}. Fields go into a reused scratch array; the timestamp's date and time of day
 * are formatted once per second.
 *
 * <p>Only the common case is written directly: strings of printable ASCII without {@code "} or
 * {@code \}. Anything else (escapes, non-ASCII) goes through the codec, so the output is the same
 * bytes in every case. Not thread-safe: one instance per publisher thread. {@link
 * UsageEventDecoder} reads these bytes back.
 */
public final class UsageEventEncoder {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] scratch = new byte[512];
  private int length;
  private long cachedSecond = Long.MIN_VALUE;
  private byte[] cachedSecondText = new byte[0];

  /** The event's contract JSON, byte for byte what {@code UsageEvent.CODEC.encode} returns. */
  public byte[] encode(UsageEvent event) {
    length = 0;
    if (!write(event)) {
      return UsageEvent.CODEC.encode(event);
    }
    return Arrays.copyOf(scratch, length);
  }

  /** Field order and names as the codec writes the record's components; false to fall back. */
  private boolean write(UsageEvent event) {
    raw("{\"schemaVersion\":");
    number(event.schemaVersion());
    raw(",\"eventId\":");
    uuid(event.eventId());
    return field(",\"tenantId\":", event.tenantId())
        && field(",\"apiId\":", event.apiId())
        && field(",\"stage\":", event.stage())
        && field(",\"routeKey\":", event.routeKey())
        && field(",\"keyId\":", event.keyId())
        && field(",\"appId\":", event.appId())
        && field(",\"planId\":", event.planId())
        && rest(event);
  }

  private boolean rest(UsageEvent event) {
    raw(",\"status\":");
    number(event.status());
    raw(",\"outcome\":\"");
    raw(event.outcome().name());
    raw("\",\"latencyMicros\":");
    number(event.latencyMicros());
    raw(",\"bytesIn\":");
    number(event.bytesIn());
    raw(",\"bytesOut\":");
    number(event.bytesOut());
    raw(",\"timestamp\":");
    instant(event.timestamp());
    if (!field(",\"nodeId\":", event.nodeId())) {
      return false;
    }
    // Left out when null, as the codec does: events without a principal keep their old bytes.
    if (event.principalId() != null && !field(",\"principalId\":", event.principalId())) {
      return false;
    }
    // Likewise left out when false: a call the integration served keeps its old bytes.
    if (event.cacheHit()) {
      raw(",\"cacheHit\":true");
    }
    // A WebSocket connection's events only: an HTTP call keeps its old bytes.
    if (event.webSocketEvent() != null && !field(",\"webSocketEvent\":", event.webSocketEvent())) {
      return false;
    }
    if (event.connectionMillis() != 0) {
      raw(",\"connectionMillis\":");
      number(event.connectionMillis());
    }
    // Last, as it is the record's last component; left out when false, so a call the base
    // deployment served keeps its old bytes.
    if (event.canary()) {
      raw(",\"canary\":true");
    }
    // Likewise left out when null: an untraced call keeps its old bytes.
    if (event.traceId() != null && !field(",\"traceId\":", event.traceId())) {
      return false;
    }
    raw("}");
    return true;
  }

  private boolean field(String nameAndColon, String value) {
    raw(nameAndColon);
    if (value == null) {
      raw("null");
      return true;
    }
    return plainString(value);
  }

  /** A quoted string of printable ASCII needing no escape; false for anything else. */
  private boolean plainString(String value) {
    int size = value.length();
    ensure(size + 2);
    scratch[length++] = '"';
    for (int i = 0; i < size; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
      scratch[length++] = (byte) c;
    }
    scratch[length++] = '"';
    return true;
  }

  private void uuid(UUID id) {
    if (id == null) {
      raw("null");
      return;
    }
    ensure(38);
    scratch[length++] = '"';
    long most = id.getMostSignificantBits();
    long least = id.getLeastSignificantBits();
    hex(most >>> 32, 8);
    scratch[length++] = '-';
    hex(most >>> 16, 4);
    scratch[length++] = '-';
    hex(most, 4);
    scratch[length++] = '-';
    hex(least >>> 48, 4);
    scratch[length++] = '-';
    hex(least, 12);
    scratch[length++] = '"';
  }

  private void hex(long bits, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      scratch[length++] = HEX[(int) (bits >>> shift) & 0xf];
    }
  }

  /**
   * {@link Instant#toString()}, as the codec writes instants: the whole second as cached, then the
   * fraction in groups of three digits as needed, then {@code Z}.
   */
  private void instant(Instant timestamp) {
    if (timestamp == null) {
      raw("null");
      return;
    }
    long second = timestamp.getEpochSecond();
    if (second != cachedSecond) {
      String whole = Instant.ofEpochSecond(second).toString();
      // A whole second prints without a fraction, e.g. 2026-11-22T02:38:21Z.
      cachedSecondText = whole.substring(0, whole.length() - 1).getBytes(StandardCharsets.US_ASCII);
      cachedSecond = second;
    }
    ensure(cachedSecondText.length + 13);
    scratch[length++] = '"';
    System.arraycopy(cachedSecondText, 0, scratch, length, cachedSecondText.length);
    length += cachedSecondText.length;
    int nanos = timestamp.getNano();
    if (nanos != 0) {
      scratch[length++] = '.';
      if (nanos % 1_000_000 == 0) {
        digits(nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        digits(nanos / 1_000, 6);
      } else {
        digits(nanos, 9);
      }
    }
    scratch[length++] = 'Z';
    scratch[length++] = '"';
  }

  private void digits(int value, int count) {
    int remaining = value;
    for (int i = length + count - 1; i >= length; i--) {
      scratch[i] = (byte) ('0' + remaining % 10);
      remaining /= 10;
    }
    length += count;
  }

  private void number(long value) {
    ensure(20);
    if (value == Long.MIN_VALUE) {
      raw(Long.toString(value));
      return;
    }
    long remaining = value;
    if (remaining < 0) {
      scratch[length++] = '-';
      remaining = -remaining;
    }
    int start = length;
    do {
      scratch[length++] = (byte) ('0' + remaining % 10);
      remaining /= 10;
    } while (remaining != 0);
    for (int left = start, right = length - 1; left < right; left++, right--) {
      byte swap = scratch[left];
      scratch[left] = scratch[right];
      scratch[right] = swap;
    }
  }

  /** ASCII the encoder itself supplies: names, punctuation, enum constants. */
  private void raw(String ascii) {
    int size = ascii.length();
    ensure(size);
    for (int i = 0; i < size; i++) {
      scratch[length++] = (byte) ascii.charAt(i);
    }
  }

  private void ensure(int more) {
    if (length + more > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + more));
    }
  }
}
