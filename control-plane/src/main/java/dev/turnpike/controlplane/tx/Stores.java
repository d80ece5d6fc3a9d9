package dev.turnpike.controlplane.tx;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Which implementation serves each persistence port, given a transaction and its tenant. Features
 * register their ports at wiring time, so the transaction machinery knows none of them.
 */
public final class Stores {
  /** Opens a port's implementation on one tenant-scoped transaction. */
  @FunctionalInterface
  public interface Factory<S> {
    S open(DSLContext tx, UUID tenantId);
  }

  private final Map<Class<?>, Factory<?>> factories = new HashMap<>();

  public <S> Stores register(Class<S> port, Factory<? extends S> factory) {
    factories.put(port, factory);
    return this;
  }

  public <S> S open(Class<S> port, DSLContext tx, UUID tenantId) {
    Factory<?> factory = factories.get(port);
    if (factory == null) {
      throw new IllegalStateException("no store registered for " + port.getName());
    }
    return port.cast(factory.open(tx, tenantId));
  }
}
