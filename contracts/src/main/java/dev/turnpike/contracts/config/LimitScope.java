package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What a usage plan's throttle and quota count. {@link #KEY} is API Gateway's rule: each API key
 * has its own bucket and its own quota. {@link #SUBSCRIPTION} counts every key of one app's
 * subscription to the plan together, so minting more keys does not multiply the allowance.
 */
public enum LimitScope {
  @JsonEnumDefaultValue
  KEY,
  SUBSCRIPTION;

  /**
   * Who a limit counts for: the key itself, or every key of its app together. The gateway's
   * throttle buckets and quota counters, and metering's quota states, are all keyed by it.
   */
  public String subject(String keyId, String appId) {
    return this == KEY ? keyId : APP_SUBJECT_PREFIX + appId;
  }

  /** Marks a subject that is an app's subscription; key ids are UUIDs and never start so. */
  public static final String APP_SUBJECT_PREFIX = "app:";
}
