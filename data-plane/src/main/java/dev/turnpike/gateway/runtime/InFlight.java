package dev.turnpike.gateway.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tenant's requests in progress on this node, shared by every event loop, capped so one tenant's
 * slow backend cannot hold every connection of a shared node.
 */
public final class InFlight {
  private final AtomicInteger count = new AtomicInteger();
  private final int max;

  /**
   * @param max the most requests in progress at once; 0 for no limit
   */
  public InFlight(int max) {
    this.max = max;
  }

  /** Counts a request in, unless the tenant is at its limit. */
  public boolean tryEnter() {
    if (max == 0) {
      count.incrementAndGet();
      return true;
    }
    while (true) {
      int current = count.get();
      if (current >= max) {
        return false;
      }
      if (count.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  public void exit() {
    count.decrementAndGet();
  }

  public int current() {
    return count.get();
  }
}
