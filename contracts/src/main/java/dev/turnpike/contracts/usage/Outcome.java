package dev.turnpike.contracts.usage;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How the gateway ended a request; rejected requests are metered too. */
public enum Outcome {
  /** The integration answered (whatever its status). */
  SERVED,
  MISSING_AUTHENTICATION_TOKEN,
  FORBIDDEN,
  THROTTLED,
  QUOTA_EXCEEDED,
  BAD_REQUEST,
  INTEGRATION_TIMEOUT,
  INTEGRATION_FAILURE,
  CONFIGURATION_ERROR,
  @JsonEnumDefaultValue
  UNKNOWN
}
