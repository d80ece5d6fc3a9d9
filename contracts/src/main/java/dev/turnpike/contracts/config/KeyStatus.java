package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Only {@link #ENABLED} keys pass the gateway; an unknown status fails closed. */
public enum KeyStatus {
  ENABLED,
  DISABLED,
  REVOKED,
  /** Suspended because the app's payment failed; reinstated when it is paid. */
  SUSPENDED,
  @JsonEnumDefaultValue
  UNKNOWN
}
