package dev.turnpike.controlplane.tx;

/**
 * A persistence port as a use case holds it: obtained once at wiring time from {@link Stores#port},
 * opened inside each transaction with {@link #in}.
 *
 * @param <S> the port's type
 */
public final class TxStore<S> {
  private final Stores<?> origin;
  private final Class<S> port;

  TxStore(Stores<?> origin, Class<S> port) {
    this.origin = origin;
    this.port = port;
  }

  /** The port bound to this transaction; the same instance for every call within it. */
  public S in(TenantTx tx) {
    return tx.openStores().open(this);
  }

  public Class<S> port() {
    return port;
  }

  Stores<?> origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "TxStore[" + port.getSimpleName() + "]";
  }
}
