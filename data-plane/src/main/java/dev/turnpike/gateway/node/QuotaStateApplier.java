package dev.turnpike.gateway.node;

import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.quota.QuotaStateUpdate;
import java.util.Map;

/**
 * Feeds metering's authoritative quota counts into the node's local counter, applying only the
 * entries that changed since the last config state. The quota-state topic's key ({@code
 * subject/planId}, the subject being a key id or {@code app:<app id>} for a per-subscription plan)
 * is the counter's key too.
 */
final class QuotaStateApplier {
  private final LocalQuotaCounter counter;
  private Map<String, QuotaState> applied = Map.of();

  QuotaStateApplier(LocalQuotaCounter counter) {
    this.counter = counter;
  }

  /** Called on the config thread only. */
  void apply(Map<String, QuotaState> states) {
    if (states == applied) {
      return;
    }
    states.forEach(
        (counterKey, state) -> {
          if (!state.equals(applied.get(counterKey))
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
        });
    applied = states;
  }
}
