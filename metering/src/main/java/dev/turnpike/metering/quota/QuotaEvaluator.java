package dev.turnpike.metering.quota;

import dev.turnpike.contracts.config.LimitScope;
import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.metering.aggregation.KeyPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares keys' counted use in their current period with their plan's quota. Under a plan that
 * counts per subscription, every key of one app is one count, published under the app's subject.
 */
public final class QuotaEvaluator {
  private final QuotaStore store;

  public QuotaEvaluator(QuotaStore store) {
    this.store = store;
  }

  /**
   * The quota state of each key at {@code now}; keys under plans without a quota have none.
   *
   * @param now what decides the period; usage stored for later periods does not count in it
   */
  public List<QuotaState> evaluate(Collection<KeyPlan> keyPlans, Instant now) {
    if (keyPlans.isEmpty()) {
      return List.of();
    }
    Map<String, QuotaRule> rules =
        store.rules(keyPlans.stream().map(KeyPlan::planId).distinct().toList());
    Map<KeyPlan, QuotaWindow> windows = new HashMap<>();
    for (KeyPlan keyPlan : keyPlans) {
      QuotaRule rule = rules.get(keyPlan.planId());
      if (rule != null && rule.tenantId().equals(keyPlan.tenantId())) {
        KeyPlan counted =
            rule.scope() == LimitScope.SUBSCRIPTION ? keyPlan.ofSubscription() : keyPlan;
        windows.put(counted, rule.windowContaining(now));
      }
    }
    if (windows.isEmpty()) {
      return List.of();
    }
    Map<KeyPlan, Long> used = store.used(windows);
    List<QuotaState> states = new ArrayList<>(windows.size());
    windows.forEach(
        (keyPlan, window) -> {
          QuotaRule rule = rules.get(keyPlan.planId());
          long limit = rule.limitIn(window);
          long count = used.getOrDefault(keyPlan, 0L);
          states.add(
              new QuotaState(
                  QuotaState.SCHEMA_VERSION,
                  keyPlan.tenantId().toString(),
                  keyPlan.keyId(),
                  keyPlan.planId(),
                  rule.period(),
                  window.start(),
                  window.end(),
                  limit,
                  count,
                  count >= limit,
                  now));
        });
    return states;
  }
}
