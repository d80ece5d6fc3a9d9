package dev.turnpike.gateway.node;

import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.quota.QuotaStateUpdate;
import java.util.Collection;
import java.util.Map;

/**
 * Feeds metering's authoritative quota counts straight into the node's local counter, applying only
 * the entries the config feed names as changed: a quota-state record costs one counter update, and
 * compiles nothing. The quota-state topic's key ({@code subject/planId}, the subject being a key id
 * or {@code app:<app id>} for a per-subscription plan) is the counter's key too.
 */
final class QuotaStateApplier {
  private final LocalQuotaCounter counter;
  private Map<String, QuotaState> applied = Map.of();

  QuotaStateApplier(LocalQuotaCounter counter) {
    this.counter = counter;
  }

  /**
   * Called on the config thread only.
   *
   * @param states every quota state the config holds now
   * @param changed the counter keys whose state may have changed since the last call
   */
  void apply(Map<String, QuotaState> states, Collection<String> changed) {
    for (String counterKey : changed) {
      QuotaState state = states.get(counterKey);
      // A deleted state leaves the count as it is: the window ends, or metering sends a new one.
      if (state != null
          && !state.equals(applied.get(counterKey))
          && state.periodStart() != null
          && state.periodEnd() != null
          && state.periodEnd().isAfter(state.periodStart())) {
        counter.apply(
            new QuotaStateUpdate(
                counterKey,
                new QuotaWindow(state.periodStart(), state.periodEnd()),
                state.used(),
                state.exceeded()));
      }
    }
    applied = states;
  }
}
