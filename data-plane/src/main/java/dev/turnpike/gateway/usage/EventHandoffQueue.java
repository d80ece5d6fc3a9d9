package dev.turnpike.gateway.usage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue from many event-loop threads to one consumer thread, without locks and without
 * allocating per element: a ring of slots, a producer index claimed by compare-and-set and a
 * consumer index only the consumer writes.
 *
 * <p>{@code ArrayBlockingQueue} takes a lock per offer and {@code ConcurrentLinkedQueue} allocates
 * a node per offer and has no bound; on the request path neither is acceptable.
 */
final class EventHandoffQueue<E> {
  private final AtomicReferenceArray<E> slots;
  private final int mask;
  private final int capacity;
  private final AtomicLong producerIndex = new AtomicLong();
  private volatile long consumerIndex;

  EventHandoffQueue(int capacity) {
    if (capacity < 1 || capacity > 1 << 30) {
      throw new IllegalArgumentException("capacity must be between 1 and 2^30, was " + capacity);
    }
    int slotCount = Integer.highestOneBit(capacity);
    if (slotCount < capacity) {
      slotCount <<= 1;
    }
    this.slots = new AtomicReferenceArray<>(slotCount);
    this.mask = slotCount - 1;
    this.capacity = capacity;
  }

  /**
   * Adds {@code element} unless the queue holds {@code capacity} elements. Any thread.
   *
   * @return false if full
   */
  boolean offer(E element) {
    while (true) {
      long claim = producerIndex.get();
      if (claim - consumerIndex >= capacity) {
        return false;
      }
      if (producerIndex.compareAndSet(claim, claim + 1)) {
        slots.lazySet((int) claim & mask, element);
        return true;
      }
    }
  }

  /**
   * Takes the oldest element, or null if there is none yet. Only the consumer thread may call it.
   *
   * <p>A producer that has claimed a slot but not yet filled it makes the queue look empty until it
   * does; the consumer comes back on its next round rather than spin.
   */
  E poll() {
    long next = consumerIndex;
    int slot = (int) next & mask;
    E element = slots.get(slot);
    if (element == null) {
      return null;
    }
    slots.lazySet(slot, null);
    consumerIndex = next + 1;
    return element;
  }

  /** Elements waiting, approximately while producers are active. Any thread. */
  int size() {
    long size = producerIndex.get() - consumerIndex;
    return (int) Math.max(0, Math.min(size, capacity));
  }
}
