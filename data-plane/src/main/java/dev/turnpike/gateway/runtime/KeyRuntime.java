package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.LimitScope;
import java.util.HashMap;
import java.util.Map;

/**
 * An API key as the gateway checks it, with the strings its limits are counted under built once, so
 * requests do not concatenate them.
 *
 * @param appSubject what a per-subscription plan counts this key's calls under: its app's
 *     subscription, shared with every other key of the app
 * @param keyCounters per plan id, the quota counter of the key itself ({@code keyId/planId}, the
 *     quota-state topic's key)
 * @param appCounters per plan id, the quota counter of the app's subscription ({@code
 *     app:<appId>/planId})
 */
public record KeyRuntime(
    KeyRecord record,
    String appSubject,
    Map<String, String> keyCounters,
    Map<String, String> appCounters) {

  static KeyRuntime of(KeyRecord record) {
    String appSubject = LimitScope.SUBSCRIPTION.subject(record.keyId(), record.appId());
    Map<String, String> keyCounters = new HashMap<>();
    Map<String, String> appCounters = new HashMap<>();
    for (String planId : record.planIds()) {
      keyCounters.put(planId, Topics.quotaKey(record.keyId(), planId));
      appCounters.put(planId, Topics.quotaKey(appSubject, planId));
    }
    return new KeyRuntime(record, appSubject, Map.copyOf(keyCounters), Map.copyOf(appCounters));
  }

  /** Whom the plan's throttle buckets count this call for. */
  public String throttleSubject(PlanBinding plan) {
    return plan.perSubscription() ? appSubject : record.keyId();
  }

  /** The quota counter this call counts against under the plan. */
  public String quotaCounter(PlanBinding plan) {
    return (plan.perSubscription() ? appCounters : keyCounters).get(plan.planId());
  }
}
