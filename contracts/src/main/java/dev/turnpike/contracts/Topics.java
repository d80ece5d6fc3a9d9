package dev.turnpike.contracts;

/**
 * Kafka topic names shared by every service, and the record keys that go with them.
 *
 * <p>The config topics and the quota-state topic are log-compacted: the latest value per key is the
 * state, and a null value (tombstone) deletes it.
 */
public final class Topics {
  /** Key {@link #deploymentKey}: the full snapshot of one API stage. */
  public static final String DEPLOYMENTS = "turnpike.config.deployments";

  /** Key: the SHA-256 hex of the API key. */
  public static final String KEYS = "turnpike.config.keys";

  /** Key {@link #planKey}: one usage plan with its stage bindings. */
  public static final String PLANS = "turnpike.config.plans";

  /** Key {@link #quotaKey}: the authoritative quota state of one key under one plan. */
  public static final String QUOTA_STATE = "turnpike.quota-state";

  /**
   * Key: the domain name, lower case. A tenant's custom domain with its certificate and base-path
   * mappings ({@link dev.turnpike.contracts.domain.DomainRecord}).
   */
  public static final String DOMAINS = "turnpike.config.domains";

  /** Key: the API key id. One event per gateway request. */
  public static final String USAGE = "turnpike.usage";

  /**
   * Key {@link #appKey}: billing's latest standing of one app (metering writes it, the control
   * plane reads it and applies it to the app's keys).
   */
  public static final String BILLING_STANDING = "turnpike.billing.standing";

  private Topics() {}

  public static String deploymentKey(String tenantId, String apiId, String stage) {
    return tenantId + "/" + apiId + "/" + stage;
  }

  public static String planKey(String tenantId, String planId) {
    return tenantId + "/" + planId;
  }

  public static String quotaKey(String keyId, String planId) {
    return keyId + "/" + planId;
  }

  public static String appKey(String tenantId, String appId) {
    return tenantId + "/" + appId;
  }
}
