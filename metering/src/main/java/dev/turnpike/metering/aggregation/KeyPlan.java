package dev.turnpike.metering.aggregation;

import dev.turnpike.contracts.config.LimitScope;
import java.util.UUID;

/**
 * A key used under a plan: what a quota counts for. Under a per-subscription plan the quota counts
 * the app's subscription instead ({@link #ofSubscription}), whose {@code keyId} is the app's
 * subject ({@code app:<app id>}).
 *
 * @param appId the key's app, empty when unknown
 */
public record KeyPlan(UUID tenantId, String keyId, String appId, String planId) {
  /** A key under a plan whose app is not needed (per-key plans). */
  public KeyPlan(UUID tenantId, String keyId, String planId) {
    this(tenantId, keyId, "", planId);
  }

  /** What a per-subscription plan counts this key's calls under: all keys of its app together. */
  public KeyPlan ofSubscription() {
    return new KeyPlan(tenantId, LimitScope.SUBSCRIPTION.subject(keyId, appId), appId, planId);
  }

  /** Whether this counts an app's subscription rather than one key. */
  public boolean isSubscription() {
    return keyId.startsWith(LimitScope.APP_SUBJECT_PREFIX);
  }
}
