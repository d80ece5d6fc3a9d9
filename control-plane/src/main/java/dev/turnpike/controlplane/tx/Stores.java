package dev.turnpike.controlplane.tx;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Which implementation serves each persistence port, given a transaction and its tenant. Features
 * register their ports at wiring time, so the transaction machinery knows none of them; use cases
 * take the {@link TxStore}s they need in their constructors, and {@link #port} refuses a port that
 * has no registration there and then, so wiring that is wrong fails at start-up rather than on the
 * first request that needs the store.
 *
 * @param <C> what a store opens on: a jOOQ transaction in production, an in-memory one in tests
 */
public final class Stores<C> {
  /** Opens a port's implementation on one tenant-scoped transaction. */
  @FunctionalInterface
  public interface Factory<C, S> {
    S open(C tx, UUID tenantId);
  }

  private final Map<Class<?>, Factory<C, ?>> factories = new HashMap<>();

  public <S> Stores<C> register(Class<S> port, Factory<C, ? extends S> factory) {
    factories.put(port, factory);
    return this;
  }

  /**
   * The port a use case holds, to open inside each transaction with {@link TxStore#in}.
   *
   * @throws IllegalStateException naming the port when nothing serves it
   */
  public <S> TxStore<S> port(Class<S> port) {
    if (!factories.containsKey(port)) {
      throw new IllegalStateException(
          "no store registered for "
              + port.getName()
              + ": register an implementation of it before wiring the use cases that need it");
    }
    return new TxStore<>(this, port);
  }

  /** The stores of one transaction, each opened on first use and then reused. */
  public OpenStores openOn(C tx, UUID tenantId) {
    return new OpenStores(this, port -> factories.get(port).open(tx, tenantId));
  }
}
