package dev.turnpike.gateway.observability;

import java.util.function.Supplier;

/**
 * A set of meters registered with the registry on its first use, not when the stage or route that
 * owns it compiles: a node serving 50,000 stages would otherwise hold every stage's meters (a
 * percentile histogram among them, about 6 KB a stage), most of which take no traffic. Until then
 * the owner holds its tags only. Safe to use from any event loop: two first uses at once register
 * once.
 */
final class RegisteredOnFirstUse<T> {
  private final Supplier<T> register;
  private volatile T meters;

  RegisteredOnFirstUse(Supplier<T> register) {
    this.register = register;
  }

  T get() {
    T held = meters;
    if (held == null) {
      synchronized (this) {
        held = meters;
        if (held == null) {
          held = register.get();
          meters = held;
        }
      }
    }
    return held;
  }

  /** Whether the meters have been used, so they exist in the registry. */
  boolean registered() {
    return meters != null;
  }
}
