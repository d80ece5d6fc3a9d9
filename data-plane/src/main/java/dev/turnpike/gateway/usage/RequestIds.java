package dev.turnpike.gateway.usage;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs from the thread's own generator, for HTTP requests and WebSocket messages
 * alike (each is also its usage event's id). Request and event ids need to be unique, not
 * unguessable, and {@link UUID#randomUUID()} would put a SecureRandom on every request.
 */
public final class RequestIds {
  private RequestIds() {}

  public static UUID next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }
}
