package dev.turnpike.metering.checkout;

import java.util.Optional;
import java.util.UUID;

/** Reads a subscription for checkout; the tenant is part of the lookup, never trusted alone. */
public interface CheckoutStore {
  Optional<CheckoutTarget> target(UUID tenantId, UUID subscriptionId);

  /**
   * A new checkout for a subscription whose delayed payment failed: it waits for payment again, so
   * the new session's outcome applies to it.
   */
  void reopenAfterFailedPayment(UUID tenantId, UUID subscriptionId);
}
