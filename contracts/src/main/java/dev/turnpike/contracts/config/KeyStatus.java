package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import dev.turnpike.contracts.billing.BillingStanding;

/**
 * Only {@link #ENABLED} keys pass the gateway; an unknown status fails closed. The rule that turns
 * a stored key into the status the gateway sees lives here once, for every publisher of key records
 * (the control plane's key publisher, also when it applies billing's standing of an app), fed with
 * the app's status and its billing standing.
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
   * The status a key record carries for a stored key: an enabled key is {@link #ENABLED} only while
   * its app is {@code active} and in good standing with billing; otherwise (e.g. the app suspended
   * by its owner, or its payment failed) it is suspended. An unknown stored status or standing
   * fails closed.
   *
   * @param storedKeyStatus the key's stored status ({@code enabled}, {@code disabled}, ...)
   * @param appStatus the stored status of the key's app
   * @param standing the app's billing standing as the control plane last applied it ({@link
   *     BillingStanding.Standing#GOOD} when billing never decided one)
   */
  public static KeyStatus published(
      String storedKeyStatus, String appStatus, BillingStanding.Standing standing) {
    return switch (storedKeyStatus) {
      case "revoked" -> REVOKED;
      case "disabled" -> DISABLED;
      case "suspended" -> SUSPENDED;
      case "enabled" ->
          "active".equals(appStatus) && standing == BillingStanding.Standing.GOOD
              ? ENABLED
              : SUSPENDED;
      default -> UNKNOWN;
    };
  }

  /**
   * The stored status a new key of the app starts with when {@code requested} was asked for: while
   * billing holds the app (its payment failed) an enabled key is held as {@code suspended} like the
   * app's other keys, and released with them when the app is paid; a disabled key stays disabled.
   */
  public static String storedForNewKey(String requested, BillingStanding.Standing standing) {
    return "enabled".equals(requested) && standing != BillingStanding.Standing.GOOD
        ? "suspended"
        : requested;
  }

  /**
   * Whether republishing an app's keys (its status or plans changed) includes this stored key: a
   * revoked key's last record stays as it was published at revocation.
   */
  public static boolean republishedWithApp(String storedKeyStatus) {
    return !"revoked".equals(storedKeyStatus);
  }
}
