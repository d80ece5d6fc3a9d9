package dev.turnpike.metering.stripe;

import java.util.Optional;
import java.util.UUID;

/** Which Stripe object stands for which of ours ({@code stripe_links}). */
public interface StripeLinks {
  Optional<String> find(String entityType, UUID entityId, String stripeType);

  /**
   * Records the link unless one exists; returns the link that holds afterwards (the earlier one
   * when two callers raced).
   */
  String link(UUID tenantId, String entityType, UUID entityId, String stripeType, String stripeId);

  /** Records or replaces the link (a subscription's latest checkout session). */
  void relink(UUID tenantId, String entityType, UUID entityId, String stripeType, String stripeId);
}
