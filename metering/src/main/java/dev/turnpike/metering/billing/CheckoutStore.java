package dev.turnpike.metering.billing;

import java.util.Optional;
import java.util.UUID;

/** Reads a subscription for checkout; the tenant is part of the lookup, never trusted alone. */
public interface CheckoutStore {
  Optional<CheckoutTarget> target(UUID tenantId, UUID subscriptionId);
}
