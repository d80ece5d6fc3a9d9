package dev.turnpike.gateway.authorizer.lambda;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One authorizer's answers by identity, for {@code authorizerResultTtlInSeconds}: a deny is kept as
 * an allow is, and the whole answer is kept, so a cached policy is judged again against each later
 * call's method ARN as API Gateway does. Bounded in entries and in the bytes the answers weigh;
 * past either bound the oldest entries go first. Identities are kept as their SHA-256, so a long
 * token costs the cache 32 bytes. Shared by the event loops serving the stage, hence the lock;
 * every operation under it is a map lookup or an eviction.
 */
final class AnswerCache {
  /** What an entry costs beside its answer: key, entry, links. */
  static final int ENTRY_OVERHEAD_BYTES = 128;

  /** The SHA-256 of an identity's values, each length-prefixed so no two lists share one. */
  record Key(long a, long b, long c, long d) {
    static Key of(List<String> values) {
      MessageDigest digest = sha256();
      ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
      for (String value : values) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(length.clear().putInt(bytes.length).array());
        digest.update(bytes);
      }
      ByteBuffer hash = ByteBuffer.wrap(digest.digest());
      return new Key(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }
  }

  private record Entry(AuthorizerAnswer answer, long expiresAtMillis) {}

  private final Clock clock;
  private final long ttlMillis;
  private final int maxEntries;
  private final long maxBytes;
  // Insertion order: the first entry is the oldest.
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  private long bytes;

  AnswerCache(Clock clock, long ttlMillis, int maxEntries, long maxBytes) {
    this.clock = clock;
    this.ttlMillis = ttlMillis;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** The answer for {@code key} if one is cached and has not expired; null otherwise. */
  synchronized AuthorizerAnswer get(Key key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (clock.millis() >= entry.expiresAtMillis()) {
      remove(key);
      return null;
    }
    return entry.answer();
  }

  synchronized void put(Key key, AuthorizerAnswer answer) {
    long weight = weight(answer);
    if (weight > maxBytes) {
      return;
    }
    remove(key);
    entries.put(key, new Entry(answer, clock.millis() + ttlMillis));
    bytes += weight;
    Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && oldest.hasNext()) {
      bytes -= weight(oldest.next().getValue().answer());
      oldest.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }

  private void remove(Key key) {
    Entry removed = entries.remove(key);
    if (removed != null) {
      bytes -= weight(removed.answer());
    }
  }

  private static long weight(AuthorizerAnswer answer) {
    return (long) answer.bytes() + ENTRY_OVERHEAD_BYTES;
  }
}
