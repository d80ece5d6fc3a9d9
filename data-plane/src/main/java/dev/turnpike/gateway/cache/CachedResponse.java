package dev.turnpike.gateway.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A 200 response kept for a stage: its end-to-end headers and body, and how long it is served.
 *
 * @param headers the headers sent with it, without hop-by-hop ones and the request id
 * @param body the whole body; shared read-only between the requests it answers
 * @param ttlNanos how long after storing it is served
 */
public record CachedResponse(MultiMap headers, Buffer body, long ttlNanos) {
  /** Bookkeeping of an entry beyond its bytes: key, maps, buffers. */
  private static final int OVERHEAD_BYTES = 256;

  /** What the entry costs the stage's capacity, roughly its heap size. */
  int weight(String key) {
    long bytes = OVERHEAD_BYTES + 2L * key.length() + body.length();
    for (var header : headers) {
      bytes += 2L * (header.getKey().length() + header.getValue().length()) + 32;
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
