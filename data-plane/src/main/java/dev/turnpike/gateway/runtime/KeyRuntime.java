package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.LimitScope;

/**
 * An API key as the gateway checks it. The strings its limits are counted under are built on the
 * key's first request under a plan and kept, so later requests do not concatenate them, and the
 * keys that take no traffic (most of a large platform's million) cost no strings at all.
 */
public final class KeyRuntime {
  private final KeyRecord record;
  // Racy single-check: Names is immutable and rebuilding it is harmless, so no lock or volatile.
  private Names names;

  /**
   * The names of one plan's counters for this key.
   *
   * @param subject whom the plan's throttle buckets count: the key id, or its app's subscription
   *     ({@code app:<appId>}, shared with every other key of the app) for a per-subscription plan
   * @param quotaCounter the quota counter ({@code subject/planId}, the quota-state topic's key)
   */
  private record Names(
      String planId, boolean perSubscription, String subject, String quotaCounter) {}

  private KeyRuntime(KeyRecord record) {
    this.record = record;
  }

  static KeyRuntime of(KeyRecord record) {
    return new KeyRuntime(record);
  }

  public KeyRecord record() {
    return record;
  }

  /** Whom the plan's throttle buckets count this call for. */
  public String throttleSubject(PlanBinding plan) {
    return plan.perSubscription() ? names(plan).subject() : record.keyId();
  }

  /** The quota counter this call counts against under the plan. */
  public String quotaCounter(PlanBinding plan) {
    return names(plan).quotaCounter();
  }

  private Names names(PlanBinding plan) {
    Names held = names;
    if (held != null
        && held.planId().equals(plan.planId())
        && held.perSubscription() == plan.perSubscription()) {
      return held;
    }
    String subject =
        plan.perSubscription()
            ? LimitScope.SUBSCRIPTION.subject(record.keyId(), record.appId())
            : record.keyId();
    Names built =
        new Names(
            plan.planId(),
            plan.perSubscription(),
            subject,
            Topics.quotaKey(subject, plan.planId()));
    names = built;
    return built;
  }

  @Override
  public String toString() {
    return "KeyRuntime[" + record + "]";
  }
}
