package dev.turnpike.gateway.websocket;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per subject (a tenant, or a tenant's key) on this node, each count changed
 * atomically with its check, so two handshakes racing for the last place cannot both take it. A
 * subject with nothing open is forgotten: memory follows what is open, not every key ever seen.
 */
final class ConnectionCounts {
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /**
   * Takes a place for {@code subject} if fewer than {@code cap} are open ({@code cap} 0: no limit).
   *
   * @return whether it took one (to be given back with {@link #release})
   */
  boolean tryTake(String subject, int cap) {
    boolean[] taken = {false};
    open.compute(
        subject,
        (ignored, count) -> {
          int now = count == null ? 0 : count;
          if (cap > 0 && now >= cap) {
            return count;
          }
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  void release(String subject) {
    open.computeIfPresent(subject, (ignored, count) -> count <= 1 ? null : count - 1);
  }

  /** Whether {@code subject} has {@code cap} open already ({@code cap} 0: never). */
  boolean isFull(String subject, int cap) {
    return cap > 0 && openFor(subject) >= cap;
  }

  int openFor(String subject) {
    Integer count = open.get(subject);
    return count == null ? 0 : count;
  }
}
