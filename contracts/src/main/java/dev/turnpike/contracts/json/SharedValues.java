package dev.turnpike.contracts.json;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One instance for equal values that many contract records repeat: a gateway node at SaaS scale
 * decodes a million key and quota records that name only ten thousand tenants and twenty thousand
 * plans, and every quota state of a period carries the same period bounds. Records canonicalise
 * such fields in their constructors, so every way of making them (Kafka, the snapshot file, the
 * control plane) shares, and nothing in the JSON changes.
 *
 * <p>One table per JVM, which is one per node. Ids are held weakly: the table holds only what some
 * record still references, so a deleted tenant's id goes with its last record. Instants go through
 * a small direct-mapped cache instead: the common ones (a period's bounds, a batch's time) hit it,
 * and a distinct instant costs no table entry. Both are safe to call from several decoding threads.
 */
public final class SharedValues {
  // Striped, so decoding threads rarely wait for each other.
  private static final int STRIPES = 64;
  private static final int INSTANT_SLOTS = 1024;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Map<String, WeakReference<String>>[] IDS = new Map[STRIPES];

  private static final AtomicReferenceArray<Instant> INSTANTS =
      new AtomicReferenceArray<>(INSTANT_SLOTS);

  static {
    for (int i = 0; i < STRIPES; i++) {
      IDS[i] = new WeakHashMap<>();
    }
  }

  private SharedValues() {}

  /**
   * The instance held for an id equal to {@code id} (tenant and plan ids: values that many records
   * repeat), or {@code id} itself, then held, when none is; null stays null.
   */
  public static String id(String id) {
    if (id == null) {
      return null;
    }
    Map<String, WeakReference<String>> stripe = IDS[spread(id.hashCode()) & (STRIPES - 1)];
    synchronized (stripe) {
      WeakReference<String> held = stripe.get(id);
      String shared = held == null ? null : held.get();
      if (shared != null) {
        return shared;
      }
      // The value refers to the key weakly too, so the entry keeps nothing alive.
      stripe.put(id, new WeakReference<>(id));
      return id;
    }
  }

  /**
   * An instance equal to {@code instant}, the one seen last in its slot when that is equal; null
   * stays null. A lost race only costs a duplicate, never a wrong value ({@link Instant} is
   * immutable).
   */
  public static Instant instant(Instant instant) {
    if (instant == null) {
      return null;
    }
    int slot = spread(instant.hashCode()) & (INSTANT_SLOTS - 1);
    Instant held = INSTANTS.get(slot);
    if (instant.equals(held)) {
      return held;
    }
    INSTANTS.set(slot, instant);
    return instant;
  }

  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
