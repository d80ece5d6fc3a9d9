package dev.turnpike.metering.quota;

import dev.turnpike.contracts.config.QuotaWindow;
import dev.turnpike.metering.aggregation.KeyPlan;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** What quota evaluation reads: plans' quotas and keys' counted use. */
public interface QuotaStore {

  /** The quota of each of {@code planIds} that has one, by plan id. */
  Map<String, QuotaRule> rules(Collection<String> planIds);

  /**
   * Requests that count towards the quota (admitted by the gateway's throttle and quota gates) per
   * key and plan within each one's window; for a {@link KeyPlan#isSubscription subscription}, those
   * of every key of the app under the plan.
   */
  Map<KeyPlan, Long> used(Map<KeyPlan, QuotaWindow> windows);

  /** Keys used under a plan at or after {@code since}. */
  Set<KeyPlan> usedSince(Instant since);
}
