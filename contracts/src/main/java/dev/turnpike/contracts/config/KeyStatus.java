package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Only {@link #ENABLED} keys pass the gateway; an unknown status fails closed. The rule that turns
 * a stored key into the status the gateway sees lives here once, for every publisher of key records
 * (the control plane's key publisher, also when it applies billing's standing of an app).
 */
public enum KeyStatus {
  ENABLED,
  DISABLED,
  REVOKED,
  /**
   * Suspended because the app's payment failed ({@link
   * dev.turnpike.contracts.billing.BillingStanding}); reinstated when it is paid.
   */
  SUSPENDED,
  @JsonEnumDefaultValue
  UNKNOWN;

  /**
   * The status a key record carries for a stored key: an enabled key of an app that is not {@code
   * active} (e.g. suspended for non-payment) is suspended; an unknown stored status fails closed.
   *
   * @param storedKeyStatus the key's stored status ({@code enabled}, {@code disabled}, ...)
   * @param appStatus the stored status of the key's app
   */
  public static KeyStatus published(String storedKeyStatus, String appStatus) {
    return switch (storedKeyStatus) {
      case "revoked" -> REVOKED;
      case "disabled" -> DISABLED;
      case "suspended" -> SUSPENDED;
      case "enabled" -> "active".equals(appStatus) ? ENABLED : SUSPENDED;
      default -> UNKNOWN;
    };
  }

  /**
   * Whether republishing an app's keys (its status or plans changed) includes this stored key: a
   * revoked key's last record stays as it was published at revocation.
   */
  public static boolean republishedWithApp(String storedKeyStatus) {
    return !"revoked".equals(storedKeyStatus);
  }
}
