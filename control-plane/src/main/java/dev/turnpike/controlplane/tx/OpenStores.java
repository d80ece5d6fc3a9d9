package dev.turnpike.controlplane.tx;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The stores one transaction has opened. Only a {@link TxStore} can open one here, so a use case
 * cannot reach a store it did not name in its constructor.
 */
public final class OpenStores {
  private final Stores<?> origin;
  private final Function<Class<?>, Object> opener;
  private final Map<Class<?>, Object> opened = new HashMap<>();

  OpenStores(Stores<?> origin, Function<Class<?>, Object> opener) {
    this.origin = origin;
    this.opener = opener;
  }

  <S> S open(TxStore<S> store) {
    if (store.origin() != origin) {
      // A port wired from one registry used on a transaction of another would open whatever that
      // one registered, or nothing: a wiring mistake, said as such.
      throw new IllegalStateException(
          "the port for "
              + store.port().getName()
              + " was wired from other stores than this"
              + " transaction's");
    }
    return store.port().cast(opened.computeIfAbsent(store.port(), opener));
  }
}
